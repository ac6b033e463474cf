package com.lockkeeper.web;

import com.lockkeeper.http.ProblemResponses;
import com.lockkeeper.http.Problems;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/**
 * Tomcat's own error answers to API requests as problem+json. Tomcat refuses some requests before
 * the application sees them (an encoded NUL or slash in the path, a malformed request line) and
 * would answer with an HTML page; an API client gets the same RFC 9457 body as for every other
 * error instead. Other paths keep Tomcat's page. Tomcat creates the valve by its class name.
 */
public final class ApiErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        String uri = request.getRequestURI();
        if (uri == null || !uri.startsWith("/api/")) {
            super.report(request, response, throwable);
            return;
        }
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean();
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        try {
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding("UTF-8");
            PrintWriter writer = response.getReporter();
            if (writer != null) {
                writer.write(ProblemResponses.body(problem(status)));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response cannot be written: nothing more can be said
        }
    }

    private static ProblemDetail problem(int status) {
        if (status == HttpStatus.BAD_REQUEST.value()) {
            return Problems.problem(HttpStatus.BAD_REQUEST, "invalid-request", "The request is invalid",
                    "the server refused the request before reading it: its path or headers are malformed (an encoded"
                            + " NUL, slash or backslash in the path, an invalid character, a header too large)");
        }
        HttpStatus known = HttpStatus.resolve(status);
        ProblemDetail problem = ProblemDetail.forStatus(status);
        problem.setType(URI.create("about:blank"));
        problem.setTitle(known == null ? "HTTP " + status : known.getReasonPhrase());
        problem.setDetail("the server refused the request before the application read it");
        return problem;
    }
}
