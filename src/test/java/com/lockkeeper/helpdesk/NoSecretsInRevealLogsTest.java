package com.lockkeeper.helpdesk;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.testing.ApiClient;
import com.lockkeeper.testing.LogLevelsRestored;
import com.lockkeeper.testing.People;
import com.lockkeeper.testing.Recoveries;
import com.lockkeeper.testing.Recoveries.Escrowed;
import com.lockkeeper.testing.Secrets;
import com.lockkeeper.testing.WebServerTest;
import com.lockkeeper.testing.WebSession;
import com.lockkeeper.users.Role;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/**
 * With the frameworks logging at DEBUG, revealing through the API, the helpdesk pages and
 * self-service puts no recovery password, key package or personal token into the log.
 */
@ExtendWith({OutputCaptureExtension.class, LogLevelsRestored.class})
@WebServerTest(properties = {
        "logging.level.org.springframework=DEBUG",
        "logging.level.org.apache=DEBUG",
        "logging.level.org.springframework.web=TRACE",
        "logging.level.org.thymeleaf=DEBUG",
        "logging.level.com.lockkeeper=DEBUG"})
class NoSecretsInRevealLogsTest {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Test
    void revealsPutNoSecretIntoTheLog(CapturedOutput output) throws InterruptedException {
        Secrets secrets = new Secrets();
        String pc = "LOGS-" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        Escrowed viaApi = Recoveries.escrow(context, pc, "CORP\\alice", Instant.parse("2026-01-01T00:00:00Z"));
        Escrowed viaWeb = Recoveries.escrow(context, pc, "CORP\\alice", Instant.parse("2026-02-01T00:00:00Z"));
        String user = People.add(context, "user");
        Escrowed viaSelfService = Recoveries.escrow(context, "LOGS-" + UUID.randomUUID().toString().substring(0, 6), user, Instant.now());
        for (Escrowed key : new Escrowed[] {viaApi, viaWeb, viaSelfService}) {
            secrets.recoveryPassword("password " + key.id(), key.password());
            // At TRACE, Spring MVC logs the bytes it writes as hex: the password as text, hex-encoded.
            secrets.text("password as hex text " + key.id(),
                    java.util.HexFormat.of().formatHex(key.password().reveal().getBytes(StandardCharsets.UTF_8)));
            secrets.bytes("key package " + key.id(), ("key package of " + key.id()).getBytes(StandardCharsets.UTF_8));
        }
        String staff = People.add(context, "adv", Role.ADVANCED_HELPDESK);
        String token = People.token(context, staff);
        secrets.text("personal token", token);
        String body = """
                {"requester": "alice", "identityVerification": "Call back to the number on file", "reason": "Unknown"}""";

        ApiClient api = new ApiClient(port);
        assertThat(api.post("/api/v1/recovery-keys/" + viaApi.id().shortId() + "/reveal", token, body).status()).isEqualTo(200);
        assertThat(api.post("/api/v1/recovery-keys/" + viaApi.id().shortId() + "/key-package", token, body).status()).isEqualTo(200);

        WebSession web = WebSession.signedIn(port, staff, People.PASSWORD);
        web.post("/helpdesk/computer", Map.of("name", pc));
        web.post("/helpdesk/identity", Map.of("requester", "alice", "identityVerification", "Call back to the number on file"));
        web.post("/helpdesk/key", Map.of("recoveryPasswordId", viaWeb.id().shortId()));
        web.post("/helpdesk/reason", Map.of("reason", "Unknown", "notes", ""));
        web.get("/helpdesk/reveal");
        assertThat(web.post("/helpdesk/reveal", Map.of()).body()).contains(viaWeb.password().block(1));
        assertThat(web.post("/helpdesk/reveal/key-package", Map.of()).status()).isEqualTo(200);

        WebSession self = WebSession.signedIn(port, user, People.PASSWORD);
        self.get("/self-service");
        assertThat(self.post("/self-service/reveal", Map.of("recoveryPasswordId", viaSelfService.id().shortId(), "confirm", "true"))
                .body()).contains(viaSelfService.password().block(1));

        Thread.sleep(500); // the server may still be logging the last exchange

        String log = output.getAll();
        assertThat(log).contains("DEBUG").contains("/helpdesk/reveal").contains("/self-service/reveal");
        assertThat(secrets.foundInText(log)).as("secrets in the log").isEmpty();
        assertThat(secrets.foundInBytes(log.getBytes(StandardCharsets.UTF_8))).as("secrets in the log").isEmpty();
    }
}
