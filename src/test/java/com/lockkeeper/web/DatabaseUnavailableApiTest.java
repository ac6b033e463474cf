package com.lockkeeper.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.testing.ApiClient;
import com.lockkeeper.testing.ApiClient.Response;
import com.lockkeeper.testing.Escrows;
import com.lockkeeper.testing.Installations;
import com.lockkeeper.testing.PostgresCluster;
import com.lockkeeper.tokens.ApiTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * While the database is away (down, restarting, failing over, read-only) a device gets a
 * retryable 503 with Retry-After, never a 500, whether the failure hits the token check before
 * the controllers or the escrow itself; and the same request succeeds once the database is back.
 */
class DatabaseUnavailableApiTest {

    @TempDir
    static Path dataDir;

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static PostgresCluster postgres;
    static ConfigurableApplicationContext server;
    static ApiClient api;
    static String token;

    @BeforeAll
    static void start() {
        postgres = PostgresCluster.primary("unavailable");
        server = Installations.webServer(dataDir, "unavailable-node", postgres.lockkeeperArguments());
        api = new ApiClient(Installations.port(server));
        token = server.getBean(ApiTokens.class).createEnrollmentToken("device", Actor.system("test")).secret();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void aStoppedDatabaseFailsTheTokenCheckWith503AndRetryAfterThenTheSameEscrowSucceeds() throws Exception {
        String body = Escrows.json(Escrows.body("PC-DB-DOWN", Escrows.newPassword()));
        postgres.server(0).stop();
        try {
            HttpResponse<String> response = post(body);

            assertUnavailable(response);
            assertThat(api.get("/healthz").status()).as("health answers without the database").isEqualTo(200);
            assertThat(api.get("/healthz/live").status()).as("liveness answers without the database").isEqualTo(200);
            ApiClient.Response ready = api.get("/healthz/ready");
            assertThat(ready.status()).as("readiness fails without the database").isEqualTo(503);
            assertThat(ready.json().path("database").asString()).isEqualTo("unreachable");
        } finally {
            postgres.server(0).start();
        }
        assertThat(postUntilAnswered(body).statusCode()).as("the pool reconnects by itself").isEqualTo(201);
    }

    @Test
    void aDatabaseThatRefusesWritesFailsTheEscrowItselfWith503AndStoresNothing() throws Exception {
        JdbcClient jdbc = server.getBean(JdbcClient.class);
        long keys = jdbc.sql("SELECT COUNT(*) FROM recovery_key").query(Long.class).single();
        String body = Escrows.json(Escrows.body("PC-READ-ONLY", Escrows.newPassword()));
        // As a standby that is not yet promoted: reads (the token check) work, writes fail with SQLSTATE 25006.
        readOnly(true);
        try {
            assertThat(api.get("/healthz").status()).isEqualTo(200);

            HttpResponse<String> response = post(body);

            assertUnavailable(response);
        } finally {
            readOnly(false);
        }
        assertThat(jdbc.sql("SELECT COUNT(*) FROM recovery_key").query(Long.class).single()).isEqualTo(keys);
        assertThat(postUntilAnswered(body).statusCode()).isEqualTo(201);
    }

    private static void assertUnavailable(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        Response problem = new Response(response.statusCode(), "", response.body());
        assertThat(problem.json().path("type").asString()).endsWith("/database-unavailable");
        assertThat(problem.json().path("detail").asString()).contains("nothing was acknowledged").contains("again");
    }

    /** Every new session of the application's role read-only, and the pooled ones dropped so the pool reconnects. */
    private static void readOnly(boolean on) throws InterruptedException {
        postgres.asSuperuser(postgres.server(0),
                "ALTER ROLE " + PostgresCluster.USER + (on ? " SET default_transaction_read_only = on" : " RESET default_transaction_read_only"),
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + PostgresCluster.USER + "'");
        Thread.sleep(1000); // past Hikari's 500 ms bypass, so the next borrow checks and replaces the dead connections
    }

    /** As a device does: the same request again after Retry-After while the answer is 503, for at most 10 s. */
    private static HttpResponse<String> postUntilAnswered(String body) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        HttpResponse<String> response = post(body);
        while (response.statusCode() == 503 && System.nanoTime() < deadline) {
            assertUnavailable(response);
            Thread.sleep(200);
            response = post(body);
        }
        return response;
    }

    private static HttpResponse<String> post(String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(api.base() + "/api/v1/escrow"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
