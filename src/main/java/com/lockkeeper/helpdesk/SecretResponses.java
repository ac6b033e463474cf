package com.lockkeeper.helpdesk;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import org.springframework.http.HttpHeaders;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes answers that hold a secret straight to the servlet response. Spring MVC logs what its
 * message converters write (at DEBUG the object, at TRACE even byte arrays, as hex), so a secret
 * must never be returned as a controller's value.
 */
final class SecretResponses {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SecretResponses() {
    }

    static void json(HttpServletResponse response, RevealedSecret body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        try {
            write(response, "application/json", bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    static void download(HttpServletResponse response, String contentDisposition, byte[] bytes) throws IOException {
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, contentDisposition);
        write(response, "application/octet-stream", bytes);
    }

    private static void write(HttpServletResponse response, String contentType, byte[] bytes) throws IOException {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        response.setContentType(contentType);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
        response.flushBuffer();
    }
}
