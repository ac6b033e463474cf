package com.lockkeeper.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.testing.WebServerTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Requests that Tomcat refuses before the application sees them (sent as raw bytes, as a client
 * might): on the API the answer is problem+json like every other API error, elsewhere Tomcat's page.
 */
@WebServerTest
class TomcatRefusalsTest {

    @LocalServerPort
    int port;

    @Test
    void anApiRequestTomcatRefusesIsAnsweredWithProblemJson() throws IOException {
        for (String path : new String[] {"/api/v1/keys/%00", "/api/v1/computers/..%2f..%2fetc", "/api/v1/keys/a%5cb"}) {
            String answer = send("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

            assertThat(answer).as(path).startsWith("HTTP/1.1 400")
                    .containsIgnoringCase("Content-Type: application/problem+json")
                    .contains("\"type\":\"https://lockkeeper.dev/problems/invalid-request\"", "\"status\":400",
                            "the server refused the request before reading it")
                    .doesNotContain("<html");
        }
    }

    @Test
    void otherPathsKeepTomcatsOwnPage() throws IOException {
        String answer = send("GET /login/%00 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 400").containsIgnoringCase("Content-Type: text/html").contains("<html");
    }

    private String send(String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
