package com.lockkeeper.reports;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.computers.ComputerRepository;
import com.lockkeeper.recovery.HelpdeskRecovery;
import com.lockkeeper.recovery.HelpdeskRequest;
import com.lockkeeper.testing.ApiClient;
import com.lockkeeper.testing.DeviceSimulator;
import com.lockkeeper.testing.People;
import com.lockkeeper.testing.WebServerTest;
import com.lockkeeper.testing.WebSession;
import com.lockkeeper.testing.WebSession.Page;
import com.lockkeeper.tokens.ApiTokens;
import com.lockkeeper.users.Role;
import com.lockkeeper.users.SignedInUser;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The report and analysis pages over HTTP with a device driven through the real device API:
 * formats, filters, audit of every view and export, and who may close an analysis.
 */
@WebServerTest
class ReportsPagesTest {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    DeviceSimulator device(String prefix) {
        String token = context.getBean(ApiTokens.class).createEnrollmentToken("pages-" + UUID.randomUUID().toString().substring(0, 6),
                Actor.system("test")).secret();
        DeviceSimulator device = new DeviceSimulator(new ApiClient(port), token,
                prefix + "-" + UUID.randomUUID().toString().substring(0, 6).toUpperCase());
        device.addVolume("OperatingSystem");
        device.escrowAll();
        device.run();
        return device;
    }

    WebSession as(Role... roles) {
        return WebSession.signedIn(port, People.add(context, "pages", roles), People.PASSWORD);
    }

    long audited(String action, String target, String detailLike) {
        return jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE action = :a AND target = :t AND detail LIKE :d")
                .param("a", action).param("t", target).param("d", detailLike).query(Long.class).single();
    }

    @Test
    void anAuditorFiltersTheRecoveryAuditReportAndExportsItAsCsvAndJsonEveryTimeAudited() throws Exception {
        DeviceSimulator device = device("AUD");
        var volume = device.volumes().get(0);
        String evil = "=HYPERLINK(\"http://evil.example\",\"click\")";
        context.getBean(HelpdeskRecovery.class).reveal(new SignedInUser("adv-pages", Set.of(Role.ADVANCED_HELPDESK), "form"),
                volume.recoveryPasswordIds().get(0), new HelpdeskRequest(evil, "In person, with badge or ID", null,
                        "manager on site", "Lost or forgotten PIN", null), "helpdesk-web", "127.0.0.1");
        WebSession auditor = as(Role.AUDITOR);
        String query = "?computer=" + device.computer().toLowerCase();

        Page page = auditor.get("/reports/recovery-audit" + query);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains(device.computer(), "adv-pages", "Lost or forgotten PIN", "In person, with badge or ID",
                "=HYPERLINK(&quot;http://evil.example&quot;").contains("/reports/recovery-audit.csv" + query);

        Page csv = auditor.get("/reports/recovery-audit.csv" + query);
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        String[] lines = csv.body().split("\r\n");
        assertThat(lines[0]).isEqualTo("\"Request time (UTC)\",\"Source\",\"Outcome\",\"Helpdesk user\",\"End user\",\"Computer\","
                + "\"Key type\",\"Password ID\",\"Reason\",\"Identity verified by\",\"Approval\"");
        assertThat(lines).hasSize(2);
        assertThat(lines[1]).contains("\"Helpdesk\",\"success\",\"adv-pages\",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")"
                + " (not an associated user)\",\"" + device.computer() + "\"");

        Page json = auditor.get("/reports/recovery-audit.json" + query);
        assertThat(json.contentType()).startsWith("application/json");
        JsonNode body = JsonMapper.builder().build().readTree(json.body());
        assertThat(body.path("report").asString()).isEqualTo("recovery-audit");
        assertThat(body.path("filters").path("computer").asString()).isEqualTo(device.computer().toLowerCase());
        assertThat(body.path("rows")).hasSize(1);
        assertThat(body.path("rows").get(0).path("endUser").asString()).startsWith("=HYPERLINK"); // JSON is data, not a sheet
        assertThat(body.path("rows").get(0).path("requestTime").asString()).endsWith("Z");

        String filter = "%computer: " + device.computer().toLowerCase() + "%rows: 1";
        assertThat(audited("report.view", "report recovery-audit", filter)).isEqualTo(1);
        assertThat(audited("report.export", "report recovery-audit", "format: csv;" + filter)).isEqualTo(1);
        assertThat(audited("report.export", "report recovery-audit", "format: json;" + filter)).isEqualTo(1);
    }

    @Test
    void badFiltersGetAMessageOnThePageAndA400ForDownloadsAndUnknownReportsA404() {
        WebSession admin = as(Role.ADMIN);

        Page page = admin.get("/reports/recovery-audit?from=23.11.2026");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"from-error\"", "Type a date as YYYY-MM-DD").doesNotContain("id=\"report-table\"");
        Page csv = admin.get("/reports/not-checked-in.csv?days=many");
        assertThat(csv.status()).isEqualTo(400);
        assertThat(csv.body()).contains("days: type a whole number of days", "Correct the filter");
        assertThat(admin.get("/reports/no-such-report").status()).isEqualTo(404);
        assertThat(admin.get("/reports/no-such-report.csv").status()).isEqualTo(404);
    }

    @Test
    void everyReportRendersAndExportsForAnAdmin() {
        device("ALL");
        WebSession admin = as(Role.ADMIN);
        for (Reports.Definition definition : Reports.definitions()) {
            Page page = admin.get("/reports/" + definition.name());
            assertThat(page.status()).as(definition.name()).isEqualTo(200);
            assertThat(page.body()).as(definition.name()).contains(definition.title());
            Page csv = admin.get("/reports/" + definition.name() + ".csv");
            assertThat(csv.status()).as(definition.name()).isEqualTo(200);
            assertThat(csv.body()).as(definition.name()).startsWith("\"");
            assertThat(admin.get("/reports/" + definition.name() + ".json").status()).as(definition.name()).isEqualTo(200);
        }
        assertThat(admin.get("/reports").body()).contains("Enterprise compliance", "Recovery audit", "Escrow drift");
    }

    @Test
    void anAdvancedHelpdeskUserClosesTheAnalysisOfARepeatedlyRecoveredDeviceAndAnAuditorOnlyReadsIt() {
        DeviceSimulator device = device("REP");
        var volume = device.volumes().get(0);
        for (int i = 0; i < 3; i++) {
            var id = device.volumes().get(0).recoveryPasswordIds().get(0);
            assertThat(device.recoveryPasswordUsed(volume, id, Instant.now().minus(9 - 3 * i, ChronoUnit.DAYS), 1000 + i).status())
                    .isEqualTo(200);
            device.run(); // the device rotates the used password
        }
        long computerId = context.getBean(ComputerRepository.class).computerId(device.computer()).orElseThrow();
        WebSession analyst = as(Role.ADVANCED_HELPDESK);

        Page overview = analyst.get("/analysis");
        assertThat(overview.status()).isEqualTo(200);
        assertThat(overview.body()).contains("id=\"open-" + device.computer() + "\"", "3 recoveries within 30 days");
        Page timeline = analyst.get("/analysis/computers/" + computerId);
        assertThat(timeline.body()).contains("A recovery password was used to start Windows (24652)", "Key retired", "rotated",
                "Record and close the analysis");
        long analysis = jdbc.sql("SELECT id FROM recovery_analysis WHERE computer_id = :c").param("c", computerId)
                .query(Long.class).single();

        Page missing = analyst.post("/analysis/" + analysis + "/close", Map.of("rootCause", "", "resolution", "PIN reset"));
        assertThat(missing.status()).isEqualTo(200);
        assertThat(missing.body()).contains("id=\"rootCause-error\"", "A root cause is required");
        assertThat(jdbc.sql("SELECT state FROM recovery_analysis WHERE id = :id").param("id", analysis).query(String.class).single())
                .isEqualTo("open");

        WebSession auditor = as(Role.AUDITOR);
        assertThat(auditor.get("/analysis/computers/" + computerId).body()).contains("24652")
                .doesNotContain("Record and close the analysis");
        assertThat(auditor.post("/analysis/" + analysis + "/close", Map.of("rootCause", "Lost or forgotten PIN",
                "resolution", "PIN reset")).status()).isEqualTo(403);

        Page closed = analyst.post("/analysis/" + analysis + "/close", Map.of("rootCause", "Lost or forgotten PIN",
                "resolution", "PIN reset", "notes", "user reset the PIN with the helpdesk on the line"));
        assertThat(closed.redirectsTo("/analysis/computers/" + computerId)).isTrue();
        assertThat(analyst.follow(closed).body()).contains("is closed", "Lost or forgotten PIN", "PIN reset",
                "user reset the PIN with the helpdesk on the line");
        assertThat(audited("analysis.close", "computer " + device.computer(), "analysis " + analysis + "; root cause: Lost or forgotten PIN%"))
                .isEqualTo(1);
        assertThat(audited("report.view", "computer " + device.computer(), "%timeline%")).isEqualTo(3);
    }
}
