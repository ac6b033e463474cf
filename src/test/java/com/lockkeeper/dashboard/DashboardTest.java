package com.lockkeeper.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.computers.ComputerRepository;
import com.lockkeeper.computers.ComputerRepository.VolumeReport;
import com.lockkeeper.computers.RecoveryKeyRepository;
import com.lockkeeper.recovery.HelpdeskRecovery;
import com.lockkeeper.recovery.HelpdeskRequest;
import com.lockkeeper.reports.Report;
import com.lockkeeper.reports.ReportFilters;
import com.lockkeeper.reports.Reports;
import com.lockkeeper.testing.People;
import com.lockkeeper.testing.Recoveries;
import com.lockkeeper.testing.Recoveries.Escrowed;
import com.lockkeeper.testing.WebServerTest;
import com.lockkeeper.testing.WebSession;
import com.lockkeeper.users.Role;
import com.lockkeeper.users.SignedInUser;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/** The fleet dashboard's numbers are the reports' numbers, on the same data; the page is for auditors and admins. */
@WebServerTest
class DashboardTest {

    static final SignedInUser HELPDESK = new SignedInUser("hd-dashboard", Set.of(Role.HELPDESK), "form");

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    Dashboard dashboard;

    @Autowired
    Reports reports;

    static String newComputer() {
        return "DSH-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    List<Map<String, Object>> rows(String name, String days, String from, String period) {
        Reports.Definition definition = Reports.definition(name).orElseThrow();
        ReportFilters.Checked checked = ReportFilters.check(new ReportFilters.Typed(from, null, null, null, days, period),
                reports.today(), definition.daysBack());
        Report<?> report = reports.build(definition, checked.filters());
        return Dashboard.rows(report);
    }

    /** A fleet: verified, unverified, disclosed and silent computers, all encrypted. */
    void fleet() {
        ComputerRepository computers = context.getBean(ComputerRepository.class);
        RecoveryKeyRepository keys = context.getBean(RecoveryKeyRepository.class);
        for (int i = 0; i < 4; i++) {
            String pc = newComputer();
            Escrowed key = Recoveries.escrow(context, pc, "CORP\\dana", Instant.now());
            var state = keys.stateOf(key.id()).orElseThrow();
            computers.recordVolumeReport(state.volumeRowId(), new VolumeReport("On", "XtsAes256", List.of("TpmPin", "RecoveryPassword"),
                    List.of(key.id().hex())), Instant.now());
            if (i < 2) {
                keys.markVerified(List.of(state.id()), Instant.now());
            }
            computers.recordCheckin(state.computerId(), Instant.now().minus(i == 3 ? 45 : 1, ChronoUnit.DAYS));
            if (i == 2) {
                context.getBean(HelpdeskRecovery.class).reveal(HELPDESK, key.id(), new HelpdeskRequest("CORP\\dana",
                        "Call back to the number on file", null, null, "Lost or forgotten PIN", null), "helpdesk-web", "127.0.0.1");
            }
        }
    }

    @Test
    void theDashboardsNumbersAreTheReportsNumbers() {
        fleet();

        FleetStatus status = dashboard.status();

        List<Map<String, Object>> compliance = rows("enterprise-compliance", null, null, null);
        Map<String, Object> total = compliance.get(compliance.size() - 1);
        assertThat(status.coverage().encryptedVolumes()).isEqualTo(total.get("encryptedVolumes")).isGreaterThanOrEqualTo(4);
        assertThat(status.coverage().withEscrowedKey()).isEqualTo(total.get("withEscrowedKey"));
        assertThat(status.coverage().verified()).isEqualTo(total.get("verified")).isGreaterThanOrEqualTo(2);
        assertThat(status.coverage().percent()).isEqualTo(total.get("compliantPercent"));

        List<Map<String, Object>> disclosed = rows("disclosed-not-rotated", null, null, null);
        assertThat(status.disclosed()).extracting(FleetStatus.DisclosedKey::passwordId)
                .containsExactlyElementsOf(disclosed.stream().map(r -> (String) r.get("passwordId")).toList()).isNotEmpty();
        assertThat(status.disclosed()).extracting(FleetStatus.DisclosedKey::ageDays)
                .containsExactlyElementsOf(disclosed.stream().map(r -> (Long) r.get("ageDays")).toList());

        List<Map<String, Object>> silent = rows("not-checked-in", "30", null, null);
        assertThat(status.notCheckedIn()).isEqualTo(silent.size()).isPositive();
        assertThat(status.neverCheckedIn()).isEqualTo(silent.stream().filter(r -> r.get("lastCheckin") == null).count());

        long weekly = rows("recoveries-by-root-cause", null, reports.today().minusWeeks(Dashboard.WEEKS - 1L).toString(), "week")
                .stream().mapToLong(r -> ((Number) r.get("recoveries")).longValue()).sum();
        assertThat(status.recoveries().byRootCause().stream().flatMap(s -> s.counts().stream()).mapToLong(Long::longValue).sum())
                .isEqualTo(weekly).isPositive();
        assertThat(status.recoveries().weeks()).hasSizeGreaterThanOrEqualTo(Dashboard.WEEKS);
        assertThat(status.nodes()).extracting(FleetStatus.Node::name).contains("web-test");
    }

    @Test
    void auditorsAndAdminsSeeTheDashboardAndLandOnItOthersDoNot() {
        fleet();
        WebSession auditor = WebSession.signedIn(port, People.add(context, "dash-auditor", Role.AUDITOR), People.PASSWORD);
        assertThat(auditor.get("/").redirectsTo("/dashboard")).isTrue();
        WebSession.Page page = auditor.get("/dashboard");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("Escrow coverage", "/webjars/chart.js/4.5.1/dist/chart.umd.min.js", "/js/dashboard.js",
                "data-source=\"/dashboard.json\"").doesNotContain("<script>");
        WebSession.Page json = auditor.get("/dashboard.json");
        assertThat(json.status()).isEqualTo(200);
        assertThat(json.body()).contains("\"coverage\"", "\"encryptedVolumes\"", "\"recoveries\"", "\"nodes\"");

        WebSession admin = WebSession.signedIn(port, People.add(context, "dash-admin", Role.ADMIN), People.PASSWORD);
        assertThat(admin.get("/").redirectsTo("/dashboard")).isTrue();
        assertThat(admin.get("/dashboard").status()).isEqualTo(200);

        WebSession helpdesk = WebSession.signedIn(port, People.add(context, "dash-helpdesk", Role.HELPDESK), People.PASSWORD);
        assertThat(helpdesk.get("/dashboard").status()).isEqualTo(403);
        assertThat(helpdesk.get("/dashboard.json").status()).isEqualTo(403);

        assertThat(new WebSession(port).get("/webjars/chart.js/4.5.1/dist/chart.umd.min.js").status()).isEqualTo(200);
    }
}
