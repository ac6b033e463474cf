package com.lockkeeper.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.testing.ApiClient;
import com.lockkeeper.testing.ApiClient.Response;
import com.lockkeeper.testing.Installations;
import com.lockkeeper.testing.PostgresCluster;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/** While the database is away the management port's readiness is down (503) and its liveness up; ready again after. */
class ReadinessWithoutDatabaseTest {

    @TempDir
    static Path dataDir;

    static PostgresCluster postgres;
    static ConfigurableApplicationContext server;
    static ApiClient management;

    @BeforeAll
    static void start() {
        postgres = PostgresCluster.primary("readiness");
        server = Installations.webServer(dataDir, "readiness-node", postgres.lockkeeperArguments());
        management = new ApiClient(Integer.parseInt(server.getEnvironment().getProperty("local.management.port")));
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
    void readinessIsDownWhileTheDatabaseIsAwayAndLivenessStaysUp() throws Exception {
        assertThat(management.get("/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(management.get("/actuator/info").json().path("lockkeeper").path("database").asString()).isEqualTo("postgresql");

        postgres.server(0).stop();
        try {
            Response ready = management.get("/actuator/health/readiness");
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.json().path("status").asString()).isEqualTo("DOWN");
            assertThat(ready.json().path("components").path("db").path("status").asString()).isEqualTo("DOWN");
            assertThat(management.get("/actuator/health/liveness").status()).isEqualTo(200);
        } finally {
            postgres.server(0).start();
        }
        long until = System.nanoTime() + 30_000_000_000L;
        int status = 0;
        while (System.nanoTime() < until && (status = management.get("/actuator/health/readiness").status()) != 200) {
            Thread.sleep(200);
        }
        assertThat(status).as("ready again once the database is back").isEqualTo(200);
    }
}
