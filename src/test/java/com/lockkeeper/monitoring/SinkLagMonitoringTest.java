package com.lockkeeper.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.audit.AuditAction;
import com.lockkeeper.audit.AuditEntry;
import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.testing.ApiClient;
import com.lockkeeper.testing.ApiClient.Response;
import com.lockkeeper.testing.Installations;
import com.lockkeeper.testing.People;
import com.lockkeeper.testing.SyslogTestReceiver;
import com.lockkeeper.testing.WebSession;
import com.lockkeeper.users.Role;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An audit sink whose receiver is down: its records wait, readiness fails once the oldest is
 * older than lockkeeper.monitoring.max-sink-lag, the metrics say how far behind it is, and the
 * status page shows it with its last error.
 */
class SinkLagMonitoringTest {

    @TempDir
    static Path dataDir;

    static ConfigurableApplicationContext server;
    static ApiClient management;

    @BeforeAll
    static void start() {
        SyslogTestReceiver gone = SyslogTestReceiver.start();
        int port = gone.port();
        gone.close(); // nothing listens there any more
        server = Installations.webServer(dataDir, "lagging-node",
                "--lockkeeper.audit.sinks.siem.type=syslog",
                "--lockkeeper.audit.sinks.siem.host=127.0.0.1",
                "--lockkeeper.audit.sinks.siem.port=" + port,
                "--lockkeeper.audit.sinks.siem.interval=300ms",
                "--lockkeeper.monitoring.max-sink-lag=1s");
        management = new ApiClient(Integer.parseInt(server.getEnvironment().getProperty("local.management.port")));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aSinkThatIsDownMakesTheNodeNotReadyAndShowsInTheMetricsAndOnTheStatusPage() throws Exception {
        server.getBean(AuditLog.class).record(AuditEntry.success(Actor.system("test"), AuditAction.REPORT_VIEW, "report lag", "lag"));
        Thread.sleep(1_500);

        Response ready = management.get("/actuator/health/readiness");
        assertThat(ready.status()).isEqualTo(503);
        assertThat(ready.json().path("components").path("auditSinks").path("status").asString()).isEqualTo("DOWN");
        assertThat(ready.json().path("components").path("auditSinks").path("details").path("sinks").path("siem")
                .path("status").asString()).isEqualTo("lagging");
        assertThat(management.get("/actuator/health/liveness").status()).isEqualTo(200);

        server.getBean(DatabaseGauges.class).refresh();
        String metrics = management.get("/actuator/prometheus").body();
        assertThat(MonitoringTest.value(metrics, "lockkeeper_audit_sink_waiting_records", "sink=\"siem\"")).isGreaterThanOrEqualTo(1);
        assertThat(MonitoringTest.value(metrics, "lockkeeper_audit_sink_oldest_waiting_age_seconds", "sink=\"siem\""))
                .isGreaterThanOrEqualTo(1);

        String admin = People.add(server, "admin", Role.ADMIN);
        String page = WebSession.signedIn(Installations.port(server), admin, People.PASSWORD).get("/admin/status").body();
        assertThat(page).contains("id=\"audit-sinks\"", ">siem<", "syslog");
    }
}
