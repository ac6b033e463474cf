package com.lockkeeper.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A real HTTP client against a running server, as a device or script would call it. */
public final class ApiClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A response: status, content type and body. */
    public record Response(int status, String contentType, String body) {

        public JsonNode json() {
            return JSON.readTree(body);
        }
    }

    private final HttpClient http;
    private final String base;

    public ApiClient(int port) {
        this("http://127.0.0.1:" + port, HttpClient.newHttpClient());
    }

    /** A client for {@code base} (e.g. {@code https://localhost:8443}) through {@code http} (e.g. one that trusts a test CA). */
    public ApiClient(String base, HttpClient http) {
        this.base = base;
        this.http = http;
    }

    public Response post(String path, String token, String body) {
        return post(path, token, body, java.util.Map.of());
    }

    /** A POST with these headers besides the content type and the token. */
    public Response post(String path, String token, String body, java.util.Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
    }

    public Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String base() {
        return base;
    }
}
