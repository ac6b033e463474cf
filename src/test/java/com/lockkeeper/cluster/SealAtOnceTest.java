package com.lockkeeper.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.testing.ApiClient;
import com.lockkeeper.testing.CliRunner;
import com.lockkeeper.testing.Installations;
import com.lockkeeper.testing.People;
import com.lockkeeper.testing.Recoveries;
import com.lockkeeper.users.Role;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A node's readiness follows its database and its keys, and `dmk unregister`, run by an admin
 * beside a running server, closes that server's keys before its next reveal, not at its next
 * heartbeat.
 */
class SealAtOnceTest {

    static final String NODE = "seal-at-once";
    static final String REVEAL = """
            {"requester": "CORP\\\\alice", "identityVerification": "Call back to the number on file",
             "reason": "Lost or forgotten PIN", "notes": "test"}""";

    @TempDir
    Path dataDir;

    @Test
    void anUnregisteredNodeIsSealedForItsVeryNextRevealAndNotReady() {
        try (ConfigurableApplicationContext server = Installations.webServer(dataDir, NODE)) {
            ApiClient api = new ApiClient(Installations.port(server));
            String staff = People.token(server, People.add(server, "sealer", Role.ADVANCED_HELPDESK));
            Recoveries.Escrowed first = Recoveries.escrow(server, "SEAL-1", "CORP\\alice", Instant.now());
            Recoveries.Escrowed second = Recoveries.escrow(server, "SEAL-2", "CORP\\alice", Instant.now());

            ApiClient.Response ready = api.get("/healthz/ready");
            assertThat(ready.status()).isEqualTo(200);
            assertThat(ready.json().path("keys").asString()).isEqualTo("open");
            assertThat(ready.json().path("database").asString()).isEqualTo("up");
            ApiClient.Response revealed = api.post("/api/v1/recovery-keys/" + first.id().hex() + "/reveal", staff, REVEAL);
            assertThat(revealed.status()).isEqualTo(200);

            CliRunner.Result unregister = new CliRunner(dataDir, NODE).run("dmk", "unregister");
            assertThat(unregister.exitCode()).as(unregister.err()).isZero();

            ApiClient.Response refused = api.post("/api/v1/recovery-keys/" + second.id().hex() + "/reveal", staff, REVEAL);
            assertThat(refused.status()).as("the reveal right after `dmk unregister`").isNotEqualTo(200);
            assertThat(refused.body()).doesNotContain(second.password().block(1)).contains("dmk register");
            ApiClient.Response notReady = api.get("/healthz/ready");
            assertThat(notReady.status()).isEqualTo(503);
            assertThat(notReady.json().path("keys").asString()).isEqualTo("sealed");
            assertThat(api.get("/healthz/live").status()).isEqualTo(200);
        }
    }
}
