package com.lockkeeper.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.audit.AuditAction;
import com.lockkeeper.audit.AuditEntry;
import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.computers.ComputerRepository;
import com.lockkeeper.computers.ComputerRepository.VolumeReport;
import com.lockkeeper.computers.KeyState;
import com.lockkeeper.computers.RecoveryKeyRepository;
import com.lockkeeper.recovery.HelpdeskRecovery;
import com.lockkeeper.recovery.HelpdeskRequest;
import com.lockkeeper.recovery.RecoveryRefusedException;
import com.lockkeeper.retention.PurgeSchedule;
import com.lockkeeper.retention.Retention;
import com.lockkeeper.testing.DatabaseServer;
import com.lockkeeper.testing.DeviceEvents;
import com.lockkeeper.testing.Escrows;
import com.lockkeeper.testing.Recoveries;
import com.lockkeeper.testing.Recoveries.Escrowed;
import com.lockkeeper.testing.ServerPerDatabase;
import com.lockkeeper.users.Role;
import com.lockkeeper.users.SignedInUser;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;

/** Every report on a real installation (H2 and PostgreSQL), with keys escrowed, revealed and reported through the real services. */
@ParameterizedClass(name = "on {0}")
@ServerPerDatabase
class ReportsTest {

    static final SignedInUser HELPDESK = new SignedInUser("hd-reports", Set.of(Role.HELPDESK), "form");

    @Parameter
    DatabaseServer server;

    Reports reports;
    ComputerRepository computers;

    @BeforeEach
    void beans() {
        reports = server.bean(Reports.class);
        computers = server.bean(ComputerRepository.class);
    }

    static String newComputer() {
        return "RPT-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    Report<?> report(String name, String computer) {
        return report(name, new ReportFilters.Typed(null, null, null, computer, null, null));
    }

    Report<?> report(String name, ReportFilters.Typed typed) {
        Reports.Definition definition = Reports.definition(name).orElseThrow();
        ReportFilters.Checked checked = ReportFilters.check(typed, LocalDate.now(ZoneOffset.UTC), definition.daysBack());
        assertThat(checked.errors()).isEmpty();
        return reports.build(definition, checked.filters());
    }

    /** The rows as maps keyed by column key. */
    static List<Map<String, Object>> rows(Report<?> report) {
        return report.cells().stream().map(row -> {
            Map<String, Object> map = new java.util.LinkedHashMap<>();
            for (int i = 0; i < row.size(); i++) {
                map.put(report.columns().get(i).key(), row.get(i));
            }
            return map;
        }).toList();
    }

    KeyState state(Escrowed key) {
        return server.bean(RecoveryKeyRepository.class).stateOf(key.id()).orElseThrow();
    }

    void reveal(Escrowed key, String requester, String reason) {
        server.bean(HelpdeskRecovery.class).reveal(HELPDESK, key.id(), new HelpdeskRequest(requester,
                "Call back to the number on file", null, null, reason, null), "helpdesk-web", "127.0.0.1");
    }

    @Test
    void aRevealedKeyIsDisclosedButNotRotatedWithItsAgeUntilTheDeviceReplacesIt() {
        String pc = newComputer();
        Escrowed key = Recoveries.escrow(server.context(), pc, "CORP\\alice", Instant.now().minus(90, ChronoUnit.DAYS));
        Escrowed untouched = Recoveries.escrow(server.context(), newComputer(), "CORP\\alice", Instant.now());
        assertThat(report("disclosed-not-rotated", pc).rows()).isEmpty();

        reveal(key, "CORP\\alice", "Lost or forgotten PIN");

        assertThat(rows(report("disclosed-not-rotated", pc))).singleElement().satisfies(row -> {
            assertThat(row.get("computer")).isEqualTo(pc);
            assertThat(row.get("passwordId")).isEqualTo(key.id().shortId());
            assertThat(row.get("ageDays")).isEqualTo(0L);
            assertThat(row.get("disclosedAt")).isNotNull();
            assertThat(row.get("rotationRequestedAt")).isNotNull();
        });
        assertThat(rows(report("disclosed-not-rotated", (String) null))).extracting(r -> r.get("computer"))
                .contains(pc).doesNotContain(untouched.computer());
    }

    @Test
    void theKeysOfARetiredComputerAreListedAsDueForPurgeWithWhatKeepsThem() {
        String pc = newComputer();
        Escrowed key = Recoveries.escrow(server.context(), pc, "CORP\\erin", Instant.now());
        Escrowed other = Recoveries.escrow(server.context(), newComputer(), "CORP\\erin", Instant.now());
        assertThat(report("keys-due-for-purge", pc).rows()).isEmpty();

        Retention retention = server.bean(Retention.class);
        retention.retire(pc, "decommissioned", Actor.user("admin-reports"));
        retention.hold(pc, "litigation", Actor.user("admin-reports"));

        assertThat(rows(report("keys-due-for-purge", pc))).singleElement().satisfies(row -> {
            assertThat(row.get("computer")).isEqualTo(pc);
            assertThat(row.get("passwordId")).isEqualTo(key.id().shortId());
            assertThat(row.get("retiredReason")).isEqualTo("decommissioned");
            assertThat(row.get("retiredAt")).isNotNull();
            assertThat(row.get("purgeAt")).as("kept: on hold").isNull();
            assertThat(row.get("keptBecause")).isEqualTo(PurgeSchedule.LEGAL_HOLD);
        });
        retention.release(pc, Actor.user("admin-reports"));
        assertThat(rows(report("keys-due-for-purge", pc))).singleElement()
                .satisfies(row -> assertThat(row.get("keptBecause")).isEqualTo(PurgeSchedule.NO_PURGE_PERIOD));
        assertThat(rows(report("keys-due-for-purge", (String) null))).extracting(r -> r.get("computer"))
                .contains(pc).doesNotContain(other.computer());
    }

    @Test
    void computersThatHaveNotCheckedInForNDaysOrNeverAreListed() {
        String never = newComputer();
        Recoveries.escrow(server.context(), never, "CORP\\bob", Instant.now());
        String silent = newComputer();
        Recoveries.escrow(server.context(), silent, "CORP\\bob", Instant.now());
        computers.recordCheckin(computers.computerId(silent).orElseThrow(), Instant.now().minus(40, ChronoUnit.DAYS));
        String recent = newComputer();
        Recoveries.escrow(server.context(), recent, "CORP\\bob", Instant.now());
        computers.recordCheckin(computers.computerId(recent).orElseThrow(), Instant.now().minus(2, ChronoUnit.DAYS));

        List<Map<String, Object>> thirty = rows(report("not-checked-in", new ReportFilters.Typed(null, null, null, "RPT-", "30", null)));
        List<Map<String, Object>> sixty = rows(report("not-checked-in", new ReportFilters.Typed(null, null, null, "RPT-", "60", null)));

        assertThat(thirty).extracting(r -> r.get("computer")).contains(never, silent).doesNotContain(recent);
        assertThat(thirty).filteredOn(r -> r.get("computer").equals(silent)).singleElement()
                .satisfies(r -> assertThat(r.get("daysSilent")).isEqualTo(40L));
        assertThat(thirty).filteredOn(r -> r.get("computer").equals(never)).singleElement()
                .satisfies(r -> assertThat(r.get("lastCheckin")).isNull());
        assertThat(sixty).extracting(r -> r.get("computer")).contains(never).doesNotContain(silent, recent);
    }

    @Test
    void aVolumeWhoseDeviceReportsOtherProtectorsThanTheEscrowedOnesDrifts() {
        String pc = newComputer();
        Escrowed key = Recoveries.escrow(server.context(), pc, "CORP\\carol", Instant.now());
        String inSync = newComputer();
        Escrowed synced = Recoveries.escrow(server.context(), inSync, "CORP\\carol", Instant.now());
        String unknownOnDevice = Escrows.newGuid().replaceAll("[^0-9A-Fa-f]", "").toUpperCase();
        computers.recordVolumeReport(state(key).volumeRowId(), new VolumeReport("On", "XtsAes256", List.of("TpmPin", "RecoveryPassword"),
                List.of(unknownOnDevice)), Instant.now());
        computers.recordVolumeReport(state(synced).volumeRowId(), new VolumeReport("On", "XtsAes256", List.of("Tpm", "RecoveryPassword"),
                List.of(synced.id().hex())), Instant.now());

        assertThat(rows(report("escrow-drift", pc))).singleElement().satisfies(row -> {
            assertThat(row.get("onDeviceNotEscrowed")).isEqualTo(unknownOnDevice.substring(0, 8));
            assertThat(row.get("escrowedNotOnDevice")).isEqualTo(key.id().shortId());
        });
        assertThat(report("escrow-drift", inSync).rows()).isEmpty();
    }

    @Test
    void complianceCountsEncryptedVolumesWithAndWithoutAnActiveKeyByProtectionMode() {
        Map<String, Object> before = modeRow("TPM + PIN + startup key");
        String pc = newComputer();
        Escrowed compliant = Recoveries.escrow(server.context(), pc, "CORP\\dave", Instant.now());
        Escrowed disclosed = Recoveries.escrow(server.context(), pc, "CORP\\dave", Instant.now());
        for (Escrowed key : List.of(compliant, disclosed)) {
            computers.recordVolumeReport(state(key).volumeRowId(), new VolumeReport("On", "XtsAes256",
                    List.of("TpmPinStartupKey", "RecoveryPassword"), List.of(key.id().hex())), Instant.now());
        }
        reveal(disclosed, "CORP\\dave", "Lost startup key");
        server.bean(RecoveryKeyRepository.class).markVerified(List.of(state(compliant).id()), Instant.now());

        Map<String, Object> after = modeRow("TPM + PIN + startup key");
        assertThat((long) after.get("encryptedVolumes") - count(before, "encryptedVolumes")).isEqualTo(2);
        assertThat((long) after.get("withEscrowedKey") - count(before, "withEscrowedKey")).isEqualTo(1);
        assertThat((long) after.get("withoutEscrowedKey") - count(before, "withoutEscrowedKey")).isEqualTo(1);
        assertThat((long) after.get("verified") - count(before, "verified")).isEqualTo(1);
        assertThat(rows(report("enterprise-compliance", (String) null))).last()
                .satisfies(total -> assertThat(total.get("protectionMode")).isEqualTo("All protection modes"));

        List<Map<String, Object>> perComputer = rows(report("computer-compliance", pc));
        assertThat(perComputer).hasSize(2).allSatisfy(row -> assertThat(row.get("computer")).isEqualTo(pc));
        assertThat(perComputer).extracting(r -> r.get("compliant")).containsExactlyInAnyOrder("yes", "no");
        assertThat(perComputer).filteredOn(r -> r.get("compliant").equals("no")).singleElement()
                .satisfies(r -> assertThat(r.get("why")).isEqualTo("only a disclosed key, awaiting rotation"));
    }

    @Test
    void aVolumeIsCompliantOnlyWhileItsKeyWasVerifiedWithinTheWindowAndANeverVerifiedKeySaysSo() {
        Map<String, Object> before = modeRow("TPM + PIN");
        String pc = newComputer();
        Escrowed recent = Recoveries.escrow(server.context(), pc, "CORP\\gina", Instant.now());
        Escrowed stale = Recoveries.escrow(server.context(), pc, "CORP\\gina", Instant.now());
        Escrowed never = Recoveries.escrow(server.context(), pc, "CORP\\gina", Instant.now());
        for (Escrowed key : List.of(recent, stale, never)) {
            computers.recordVolumeReport(state(key).volumeRowId(), new VolumeReport("On", "XtsAes256",
                    List.of("TpmPin", "RecoveryPassword"), List.of(key.id().hex())), Instant.now());
        }
        RecoveryKeyRepository keys = server.bean(RecoveryKeyRepository.class);
        keys.markVerified(List.of(state(recent).id()), Instant.now().minus(29, ChronoUnit.DAYS));
        keys.markVerified(List.of(state(stale).id()), Instant.now().minus(31, ChronoUnit.DAYS));

        List<Map<String, Object>> rows = rows(report("computer-compliance", pc));
        assertThat(rows).extracting(r -> r.get("compliant")).containsExactlyInAnyOrder("yes", "no", "no");
        assertThat(rows).filteredOn(r -> r.get("compliant").equals("yes")).singleElement()
                .satisfies(r -> assertThat(r.get("verified")).isEqualTo("yes"));
        assertThat(rows).filteredOn(r -> r.get("compliant").equals("no")).extracting(r -> (String) r.get("why"))
                .anySatisfy(why -> assertThat(why).startsWith("not verified within 30 days (last on "))
                .anySatisfy(why -> assertThat(why).startsWith("not verified: the device never showed"));
        assertThat(rows).filteredOn(r -> r.get("compliant").equals("no")).extracting(r -> r.get("verified"))
                .containsOnly("not verified");

        Map<String, Object> after = modeRow("TPM + PIN");
        assertThat((long) after.get("withEscrowedKey") - count(before, "withEscrowedKey")).isEqualTo(3);
        assertThat((long) after.get("verified") - count(before, "verified")).isEqualTo(1);
        assertThat((long) after.get("notVerified") - count(before, "notVerified")).isEqualTo(2);
    }

    @Test
    void theRecoveryAuditReportHasMbamsFieldsForRevealsRefusalsAndDeviceUnlocksAndFiltersByUserAndComputer() {
        String pc = newComputer();
        Escrowed key = Recoveries.escrow(server.context(), pc, "CORP\\erin", Instant.now());
        reveal(key, "CORP\\erin", "Lost or forgotten PIN");
        catchThrowableOfType(RecoveryRefusedException.class, () -> reveal(key, "CORP\\mallory", "Lost or forgotten PIN"));
        DeviceEvents.report(server.context(), pc, Instant.now().minus(1, ChronoUnit.HOURS), 24652, null, "TPM PCR mismatch");

        List<Map<String, Object>> rows = rows(report("recovery-audit", new ReportFilters.Typed(null, null, null, pc, null, null)));

        assertThat(rows).extracting(r -> r.get("source")).containsExactly("Helpdesk", "Helpdesk", "Device event");
        Map<String, Object> revealed = rows.stream().filter(r -> "success".equals(r.get("outcome"))).findFirst().orElseThrow();
        assertThat(revealed).containsEntry("helpdeskUser", "hd-reports").containsEntry("endUser", "CORP\\erin (associated user)")
                .containsEntry("computer", pc).containsEntry("keyType", "recovery password")
                .containsEntry("passwordId", key.id().shortId()).containsEntry("reason", "Lost or forgotten PIN")
                .containsEntry("identityVerification", "Call back to the number on file");
        Map<String, Object> refused = rows.stream().filter(r -> "refused".equals(r.get("outcome"))).findFirst().orElseThrow();
        assertThat(refused).containsEntry("helpdeskUser", "hd-reports").containsEntry("endUser", "CORP\\mallory")
                .containsEntry("computer", pc);
        assertThat(rows.get(2)).containsEntry("outcome", "unlocked (event 24652)").containsEntry("reason", "TPM PCR mismatch");

        assertThat(rows(report("recovery-audit", new ReportFilters.Typed(null, null, "mallory", pc, null, null))))
                .extracting(r -> r.get("outcome")).containsExactly("refused");
        assertThat(report("recovery-audit", new ReportFilters.Typed(null, null, null, "NO-SUCH-PC", null, null)).rows()).isEmpty();
        String tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1).toString();
        assertThat(report("recovery-audit", new ReportFilters.Typed(tomorrow, tomorrow, null, pc, null, null)).rows()).isEmpty();
    }

    @Test
    void theRecoveryAuditReadsARefusalRecordedAsFreeTextBeforeDetailsWereJsonAndOneRecordedAsJsonNow() {
        String pc = newComputer();
        Escrowed key = Recoveries.escrow(server.context(), pc, "CORP\\frank", Instant.now());
        String older = "requester: CORP\\oscar is not an associated user; role: HELPDESK";
        server.bean(AuditLog.class).record(AuditEntry.refused(Actor.user("hd-before"), AuditAction.REVEAL, "computer " + pc, older));
        catchThrowableOfType(RecoveryRefusedException.class, () -> reveal(key, "CORP\\mallory", "Lost or forgotten PIN"));
        String stored = server.jdbc()
                .sql("SELECT detail FROM audit_log WHERE action = 'reveal' AND actor = 'user:hd-reports' AND target = :t")
                .param("t", "computer " + pc).query(String.class).single();
        assertThat(stored).startsWith("{\"computer\":");

        List<Map<String, Object>> rows = rows(report("recovery-audit", pc));

        assertThat(rows).filteredOn(r -> "hd-before".equals(r.get("helpdeskUser"))).singleElement().satisfies(row -> assertThat(row)
                .containsEntry("outcome", "refused").containsEntry("endUser", "CORP\\oscar").containsEntry("computer", pc)
                .containsEntry("source", "Helpdesk").containsEntry("reason", older));
        assertThat(rows).filteredOn(r -> "hd-reports".equals(r.get("helpdeskUser"))).singleElement().satisfies(row -> assertThat(row)
                .containsEntry("outcome", "refused").containsEntry("endUser", "CORP\\mallory").containsEntry("computer", pc)
                .containsEntry("source", "Helpdesk").containsEntry("reason", "the caller is not an associated user"));
    }

    @Test
    void badFiltersSayWhatToType() {
        ReportFilters.Checked checked = ReportFilters.check(new ReportFilters.Typed("2026-13-01", "yesterday", null, null, "-1", "year"),
                LocalDate.now(ZoneOffset.UTC), 30);
        assertThat(checked.filters()).isNull();
        assertThat(checked.errors()).extracting(e -> e.field() + ": " + e.reason()).containsExactly(
                "to: type a date as YYYY-MM-DD, such as 2026-11-23", "from: type a date as YYYY-MM-DD, such as 2026-11-23",
                "days: type a number of days from 1 to 3650", "period: choose week or month");
        assertThat(ReportFilters.check(new ReportFilters.Typed("2026-11-20", "2026-11-10", null, null, null, null),
                LocalDate.now(ZoneOffset.UTC), 30).errors()).singleElement()
                .satisfies(e -> assertThat(e.reason()).contains("after the end date"));
    }

    Map<String, Object> modeRow(String mode) {
        return rows(report("enterprise-compliance", (String) null)).stream().filter(r -> r.get("protectionMode").equals(mode))
                .findFirst().orElse(Map.of());
    }

    static long count(Map<String, Object> row, String key) {
        return row.containsKey(key) ? (long) row.get(key) : 0;
    }
}
