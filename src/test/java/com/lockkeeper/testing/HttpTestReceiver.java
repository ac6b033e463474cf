package com.lockkeeper.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;

/**
 * An HTTP(S) receiver of JSON lines for tests (the JDK's HttpServer): keeps every line POSTed to
 * {@code /ingest} with a right token, answers 401 without it, and 503 while "down".
 */
public final class HttpTestReceiver implements AutoCloseable {

    private final HttpServer server;
    private final String expectedAuthorization;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<String> contentTypes = new CopyOnWriteArrayList<>();
    private volatile int refused;
    private volatile boolean down;

    private HttpTestReceiver(HttpServer server, String expectedAuthorization) {
        this.server = server;
        this.expectedAuthorization = expectedAuthorization;
        server.createContext("/ingest", this::ingest);
        server.start();
    }

    /** Plain HTTP on 127.0.0.1; with {@code tls}, HTTPS presenting that context's certificate. */
    public static HttpTestReceiver start(SSLContext tls, String expectedAuthorization) {
        try {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            HttpServer server;
            if (tls == null) {
                server = HttpServer.create(address, 0);
            } else {
                HttpsServer https = HttpsServer.create(address, 0);
                https.setHttpsConfigurator(new HttpsConfigurator(tls));
                server = https;
            }
            return new HttpTestReceiver(server, expectedAuthorization);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String url() {
        return (server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort() + "/ingest";
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    public List<String> contentTypes() {
        return List.copyOf(contentTypes);
    }

    /** POSTs refused for a missing or wrong token. */
    public int refused() {
        return refused;
    }

    public void down(boolean down) {
        this.down = down;
    }

    private void ingest(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (!expectedAuthorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                refused++;
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            if (down) {
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
            for (String line : body.split("\n")) {
                if (!line.isBlank()) {
                    lines.add(line);
                }
            }
            exchange.sendResponseHeaders(200, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
