package com.lockkeeper.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.testing.ApiClient;
import com.lockkeeper.testing.ApiClient.Response;
import com.lockkeeper.testing.DeviceSimulator;
import com.lockkeeper.testing.Escrows;
import com.lockkeeper.testing.DeviceSimulator.Volume;
import com.lockkeeper.testing.People;
import com.lockkeeper.testing.WebServerTest;
import com.lockkeeper.testing.WebSession;
import com.lockkeeper.tokens.ApiTokens;
import com.lockkeeper.users.Role;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/**
 * The management port: health with its liveness and readiness groups, info, and the Prometheus
 * metrics counting what the server did; and the application port serving none of it.
 */
@WebServerTest
class MonitoringTest {

    static final String ALICE_CALLS = """
            {"requester": "CORP\\\\alice", "identityVerification": "Call back to the number on file",
             "reason": "Lost or forgotten PIN", "notes": "new PIN forgotten"}""";

    @LocalServerPort
    int port;

    @Value("${local.management.port}")
    int managementPort;

    @Autowired
    ApplicationContext context;

    @Autowired
    DatabaseGauges gauges;

    ApiClient management() {
        return new ApiClient(managementPort);
    }

    @Test
    void theManagementPortIsAnotherPortAndAnswersHealthWithLivenessAndReadiness() {
        assertThat(managementPort).isNotEqualTo(port);

        Response health = management().get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("status").asString()).isEqualTo("UP");

        Response live = management().get("/actuator/health/liveness");
        assertThat(live.status()).isEqualTo(200);
        assertThat(live.json().path("status").asString()).isEqualTo("UP");

        Response ready = management().get("/actuator/health/readiness");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().path("status").asString()).isEqualTo("UP");
        assertThat(ready.json().path("components").path("db").path("status").asString()).isEqualTo("UP");
        assertThat(ready.json().path("components").path("node").path("details").path("keys").asString()).isEqualTo("open");
        assertThat(ready.json().path("components").path("auditSinks").path("status").asString()).isEqualTo("UP");
    }

    @Test
    void infoNamesTheVersionTheNodeAndTheDatabase() {
        Response info = management().get("/actuator/info");
        assertThat(info.status()).isEqualTo(200);
        assertThat(info.json().path("lockkeeper").path("node").asString()).isEqualTo("web-test");
        assertThat(info.json().path("lockkeeper").path("database").asString()).isEqualTo("h2");
        assertThat(info.json().path("lockkeeper").path("version").asString()).isNotBlank();
    }

    @Test
    void theApplicationPortServesNoActuatorEndpoint() {
        ApiClient app = new ApiClient(port);
        for (String path : new String[] {"/actuator", "/actuator/health", "/actuator/prometheus", "/actuator/info"}) {
            Response response = app.get(path);
            assertThat(response.status()).as(path).isNotEqualTo(200);
            assertThat(response.body()).as(path).doesNotContain("lockkeeper_", "\"status\":\"UP\"");
        }
        assertThat(app.get("/healthz").status()).as("the existing health endpoints stay").isEqualTo(200);
        assertThat(app.get("/healthz/ready").status()).isEqualTo(200);
    }

    @Test
    void prometheusCountsEscrowsCheckInsAndRevealsWithTheirChannelAndOutcome() {
        String before = prometheus();
        String token = context.getBean(ApiTokens.class).createEnrollmentToken("device", Actor.system("test")).secret();
        DeviceSimulator pc = new DeviceSimulator(new ApiClient(port), token,
                "PC-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase() + ".corp.example.com").enrolled();
        Volume c = pc.addVolume("OperatingSystem");
        ProtectorId id = c.recoveryPasswordIds().get(0);
        assertThat(pc.escrowAll()).containsExactly(201);
        String again = Escrows.json(Escrows.body("MONITORING.corp.example.com", Escrows.newPassword()));
        assertThat(new ApiClient(port).post("/api/v1/escrow", token, again).status()).isEqualTo(201);
        assertThat(new ApiClient(port).post("/api/v1/escrow", token, again).status()).isEqualTo(200);
        assertThat(pc.checkin()).isEmpty();
        String helpdesk = People.token(context, People.add(context, "hd", Role.HELPDESK));
        assertThat(new ApiClient(port).post("/api/v1/recovery-keys/" + id.hex() + "/reveal", helpdesk, ALICE_CALLS).status())
                .isEqualTo(200);
        String auditor = People.token(context, People.add(context, "aud", Role.AUDITOR));
        assertThat(new ApiClient(port).post("/api/v1/recovery-keys/" + id.hex() + "/reveal", auditor, ALICE_CALLS).status())
                .isEqualTo(403);
        String someone = People.add(context, "someone", Role.HELPDESK);
        new WebSession(port).signIn(someone, "not the password");
        gauges.refresh();

        String after = prometheus();

        assertThat(delta(before, after, "lockkeeper_escrows_total", "channel=\"api\"", "outcome=\"stored\"")).isEqualTo(2);
        assertThat(delta(before, after, "lockkeeper_escrows_total", "channel=\"api\"", "outcome=\"already-stored\"")).isEqualTo(1);
        assertThat(delta(before, after, "lockkeeper_escrows_total", "channel=\"api\"", "outcome=\"conflict\"")).isZero();
        assertThat(delta(before, after, "lockkeeper_checkins_total", "outcome=\"recorded\"")).isEqualTo(1);
        assertThat(delta(before, after, "lockkeeper_reveals_total", "channel=\"api\"", "kind=\"recovery-password\"",
                "outcome=\"revealed\"")).isEqualTo(1);
        assertThat(delta(before, after, "lockkeeper_reveals_total", "channel=\"helpdesk\"", "kind=\"recovery-password\"",
                "outcome=\"revealed\"")).isZero();
        assertThat(delta(before, after, "lockkeeper_signin_failures_total")).isEqualTo(1);
        assertThat(delta(before, after, "lockkeeper_refusals_total", "action=\"signin\"")).isEqualTo(1);
        assertThat(value(after, "lockkeeper_last_escrow_timestamp_seconds")).isGreaterThan(1_700_000_000);
        assertThat(value(after, "lockkeeper_node_sealed")).isZero();
        assertThat(value(after, "lockkeeper_rotations_pending")).as("the device is asked to rotate the revealed key")
                .isGreaterThanOrEqualTo(1);
        assertThat(value(after, "lockkeeper_disclosed_keys_not_rotated")).isGreaterThanOrEqualTo(1);
        assertThat(value(after, "lockkeeper_reencryption_progress_ratio")).isEqualTo(1);
        assertThat(after).contains("lockkeeper_epoch_keys_opened_total", "lockkeeper_signin_failures_total",
                "lockkeeper_events_total", "hikaricp_connections_active");
    }

    String prometheus() {
        Response response = management().get("/actuator/prometheus");
        assertThat(response.status()).isEqualTo(200);
        return response.body();
    }

    static double delta(String before, String after, String name, String... labels) {
        return valueOr0(after, name, labels) - valueOr0(before, name, labels);
    }

    static double value(String text, String name, String... labels) {
        Double value = find(text, name, labels);
        assertThat(value).as(name + " in the Prometheus text").isNotNull();
        return value;
    }

    static double valueOr0(String text, String name, String... labels) {
        Double value = find(text, name, labels);
        return value == null ? 0 : value;
    }

    /** The sample of {@code name} whose labels include all of {@code labels}; null when there is none. */
    static Double find(String text, String name, String... labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)$").matcher(text);
        while (m.find()) {
            String set = m.group(1) == null ? "" : m.group(1);
            boolean all = true;
            for (String label : labels) {
                all &= set.contains(label);
            }
            if (all) {
                return Double.parseDouble(m.group(2));
            }
        }
        return null;
    }
}
