package com.lockkeeper.http;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes problem+json from filters, where no controller advice runs (401 and 403 of the API chains),
 * and for Tomcat's own refusals of API requests.
 */
public final class ProblemResponses {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ProblemResponses() {
    }

    public static void unauthorized(HttpServletResponse response, String detail) throws IOException {
        response.setHeader("WWW-Authenticate", "Bearer");
        write(response, Problems.problem(HttpStatus.UNAUTHORIZED, "unauthorized", "Authentication required", detail));
    }

    public static void forbidden(HttpServletResponse response, String detail) throws IOException {
        write(response, Problems.problem(HttpStatus.FORBIDDEN, "forbidden", "Not allowed", detail));
    }

    /** The problem's JSON body: type, title, status and detail. */
    public static String body(ProblemDetail problem) {
        return JSON.writeValueAsString(fields(problem));
    }

    private static void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        JSON.writeValue(response.getOutputStream(), fields(problem));
    }

    private static Map<String, Object> fields(ProblemDetail problem) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.getType().toString());
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        return body;
    }
}
