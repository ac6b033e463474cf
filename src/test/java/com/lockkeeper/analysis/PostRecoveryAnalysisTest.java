package com.lockkeeper.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.lockkeeper.computers.ComputerRepository;
import com.lockkeeper.recovery.HelpdeskRecovery;
import com.lockkeeper.recovery.HelpdeskRequest;
import com.lockkeeper.testing.DatabaseServer;
import com.lockkeeper.testing.DeviceEvents;
import com.lockkeeper.testing.Recoveries;
import com.lockkeeper.testing.Recoveries.Escrowed;
import com.lockkeeper.testing.ServerPerDatabase;
import com.lockkeeper.users.Role;
import com.lockkeeper.users.SignedInUser;
import com.lockkeeper.http.FieldError;
import com.lockkeeper.http.InvalidRequestException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Post-recovery analysis on a real installation (H2 and PostgreSQL): keys escrowed and revealed through the real
 * services, device events stored as the events API stores them.
 */
@ParameterizedClass(name = "on {0}")
@ServerPerDatabase
class PostRecoveryAnalysisTest {

    static final SignedInUser HELPDESK = new SignedInUser("hd-analysis", Set.of(Role.HELPDESK), "form");
    static final SignedInUser ADVANCED = new SignedInUser("adv-analysis", Set.of(Role.ADVANCED_HELPDESK), "form");
    static final SignedInUser AUDITOR = new SignedInUser("aud-analysis", Set.of(Role.AUDITOR), "form");
    static final String FIRMWARE_CAUSE = "BIOS/UEFI changed (firmware update or settings)";
    static final String SUSPENDED = "BitLocker suspended and resumed around a firmware update";

    @Parameter
    DatabaseServer server;

    Analyses analyses;
    FlaggedRecoveries flagged;
    Timeline timeline;
    RootCauseStatistics rootCauses;
    JdbcClient jdbc;

    @BeforeEach
    void beans() {
        analyses = server.bean(Analyses.class);
        flagged = server.bean(FlaggedRecoveries.class);
        timeline = server.bean(Timeline.class);
        rootCauses = server.bean(RootCauseStatistics.class);
        jdbc = server.jdbc();
    }

    static String newComputer() {
        return "PC-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    long idOf(String computer) {
        return server.bean(ComputerRepository.class).computerId(computer).orElseThrow();
    }

    static Instant daysAgo(int days) {
        return Instant.now().minus(days, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    }

    /** Three recovery password unlocks within 30 days: the computer is flagged and one analysis opens for it. */
    String repeatedlyRecovered() {
        String pc = newComputer();
        Recoveries.escrow(server.context(), pc, "CORP\\alice", daysAgo(60));
        DeviceEvents.report(server.context(), pc, daysAgo(20), 24652, null);
        DeviceEvents.report(server.context(), pc, daysAgo(10), 24652, null);
        DeviceEvents.report(server.context(), pc, daysAgo(1), 782, null);
        return pc;
    }

    @Test
    void threeRecoveriesWithin30DaysOpenOneAnalysisAndOnlyOne() {
        String pc = repeatedlyRecovered();

        analyses.openForFlaggedComputers();
        analyses.openForFlaggedComputers();

        List<Analysis> opened = analyses.ofComputer(idOf(pc));
        assertThat(opened).hasSize(1);
        assertThat(opened.get(0).open()).isTrue();
        assertThat(opened.get(0).openedBecause()).startsWith("Repeated recoveries: 3 recoveries within 30 days");
        assertThat(analyses.unresolved()).extracting(Analysis::computerName).contains(pc);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'analysis.open' AND target = :t")
                .param("t", "computer " + pc).query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void recoveriesFurtherApartAndOneRecoverySeenTwiceAreNotRepeated() {
        String apart = newComputer();
        Recoveries.escrow(server.context(), apart, "CORP\\bob", daysAgo(200));
        DeviceEvents.report(server.context(), apart, daysAgo(80), 24652, null);
        DeviceEvents.report(server.context(), apart, daysAgo(40), 24652, null);
        DeviceEvents.report(server.context(), apart, daysAgo(1), 24652, null);
        // One unlock logged by the driver and the API a minute apart is one recovery, not two.
        String once = newComputer();
        Recoveries.escrow(server.context(), once, "CORP\\bob", daysAgo(200));
        DeviceEvents.report(server.context(), once, daysAgo(5), 24652, null);
        DeviceEvents.report(server.context(), once, daysAgo(5).plusSeconds(60), 782, null);
        DeviceEvents.report(server.context(), once, daysAgo(2), 24652, null);

        analyses.openForFlaggedComputers();

        assertThat(analyses.ofComputer(idOf(apart))).isEmpty();
        assertThat(analyses.ofComputer(idOf(once))).isEmpty();
        List<Flag> flags = flagged.between(daysAgo(100), Instant.now(), Flag.Kind.REPEATED);
        assertThat(flags).extracting(Flag::computerName).doesNotContain(apart, once);
    }

    @Test
    void aRecoveryAfterABootChangeOrAFirmwareUpdateIsFlaggedAndExplained() {
        String boot = newComputer();
        Recoveries.escrow(server.context(), boot, "CORP\\carol", daysAgo(100));
        DeviceEvents.report(server.context(), boot, daysAgo(3).minusSeconds(120), 522, null);
        DeviceEvents.report(server.context(), boot, daysAgo(3), 24652, null);
        String firmware = newComputer();
        Recoveries.escrow(server.context(), firmware, "CORP\\carol", daysAgo(100));
        DeviceEvents.report(server.context(), firmware, daysAgo(50), 782, "1.0.3");
        DeviceEvents.report(server.context(), firmware, daysAgo(2), 24652, "1.2.0");
        String unchanged = newComputer();
        Recoveries.escrow(server.context(), unchanged, "CORP\\carol", daysAgo(100));
        DeviceEvents.report(server.context(), unchanged, daysAgo(50), 782, "1.2.0");
        DeviceEvents.report(server.context(), unchanged, daysAgo(2), 24652, "1.2.0");

        List<Flag> flags = flagged.between(daysAgo(30), Instant.now(), Flag.Kind.AFTER_BOOT_CHANGE);

        assertThat(flags).filteredOn(f -> f.computerName().equals(boot)).singleElement()
                .satisfies(f -> assertThat(f.description()).startsWith("Boot application changed (522) at "));
        assertThat(flags).filteredOn(f -> f.computerName().equals(firmware)).singleElement()
                .satisfies(f -> assertThat(f.description()).startsWith("Firmware changed from 1.0.3 to 1.2.0"));
        assertThat(flags).extracting(Flag::computerName).doesNotContain(unchanged);
        analyses.openForFlaggedComputers();
        assertThat(analyses.ofComputer(idOf(boot))).singleElement()
                .satisfies(a -> assertThat(a.openedBecause()).startsWith("Recovery after a firmware or boot change"));
    }

    @Test
    void anAnalystRecordsTheRootCauseAndResolutionAndClosesTheAnalysisOnce() {
        String pc = repeatedlyRecovered();
        analyses.openForFlaggedComputers();
        long id = analyses.ofComputer(idOf(pc)).get(0).id();

        InvalidRequestException unknown = catchThrowableOfType(InvalidRequestException.class,
                () -> analyses.close(id, "the weather", "", null, ADVANCED));
        assertThat(unknown.errors()).extracting(FieldError::field).containsExactly("rootCause", "resolution");
        assertThat(unknown.errors().get(0).reason()).contains("Lost or forgotten PIN");
        InvalidRequestException noNotes = catchThrowableOfType(InvalidRequestException.class,
                () -> analyses.close(id, "Other", "PIN reset", " ", ADVANCED));
        assertThat(noNotes.errors()).extracting(FieldError::field).containsExactly("notes");
        InvalidRequestException notAllowed = catchThrowableOfType(InvalidRequestException.class,
                () -> analyses.close(id, FIRMWARE_CAUSE, SUSPENDED, null, HELPDESK));
        assertThat(notAllowed.getMessage()).contains("ADVANCED_HELPDESK or ADMIN");
        assertThat(analyses.byId(id).orElseThrow().open()).isTrue();

        Analysis closed = analyses.close(id, FIRMWARE_CAUSE.toLowerCase(), SUSPENDED, "Vendor BIOS 1.2 pushed without suspending",
                ADVANCED);

        assertThat(closed.open()).isFalse();
        assertThat(closed.rootCause()).isEqualTo(FIRMWARE_CAUSE);
        assertThat(closed.resolution()).isEqualTo(SUSPENDED);
        assertThat(closed.closedBy()).isEqualTo("adv-analysis");
        assertThat(closed.closedAt()).isNotNull();
        InvalidRequestException again = catchThrowableOfType(InvalidRequestException.class,
                () -> analyses.close(id, "Lost or forgotten PIN", "PIN reset", null, ADVANCED));
        assertThat(again.getMessage()).contains("closed already by adv-analysis");
        assertThat(analyses.byId(id).orElseThrow().rootCause()).isEqualTo(FIRMWARE_CAUSE);
        assertThat(jdbc.sql("SELECT outcome FROM audit_log WHERE action = 'analysis.close' AND detail LIKE :d ORDER BY at")
                .param("d", "analysis " + id + ";%").query(String.class).list()).containsExactly("refused", "success");
        assertThat(analyses.unresolved()).extracting(Analysis::id).doesNotContain(id);

        // A closed analysis does not stop a new one when the device keeps needing recovery.
        DeviceEvents.report(server.context(), pc, Instant.now().minusSeconds(5), 24652, null);
        analyses.openForFlaggedComputers();
        assertThat(analyses.ofComputer(idOf(pc))).hasSize(2).first().satisfies(a -> assertThat(a.open()).isTrue());
    }

    @Test
    void recoveriesAreCountedByTheRootCauseTheAnalystFoundElseByTheRecordedReason() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        List<RootCauseCount> before = rootCauses.byRootCause(today.minusDays(60), today, Period.WEEK);
        String pc = repeatedlyRecovered();
        analyses.openForFlaggedComputers();
        List<RootCauseCount> flagged = rootCauses.byRootCause(today.minusDays(60), today, Period.WEEK);
        assertThat(total(flagged, "Not recorded") - total(before, "Not recorded")).isEqualTo(3);

        analyses.close(analyses.ofComputer(idOf(pc)).get(0).id(), FIRMWARE_CAUSE, SUSPENDED, null, ADVANCED);

        List<RootCauseCount> after = rootCauses.byRootCause(today.minusDays(60), today, Period.WEEK);
        assertThat(total(after, FIRMWARE_CAUSE) - total(flagged, FIRMWARE_CAUSE)).isEqualTo(3);
        assertThat(total(after, "Not recorded")).isEqualTo(total(before, "Not recorded"));
        assertThat(after).extracting(RootCauseCount::period).allMatch(p -> p.matches("\\d{4}-W\\d{2}"));
        assertThat(rootCauses.byRootCause(today.minusDays(60), today, Period.MONTH))
                .extracting(RootCauseCount::period).allMatch(p -> p.matches("\\d{4}-\\d{2}"));
    }

    @Test
    void theTimelineShowsTheRevealWithItsReasonTheKeyChangesAndTheAnalysesInOrder() {
        String pc = newComputer();
        Escrowed key = Recoveries.escrow(server.context(), pc, "CORP\\dave", daysAgo(30));
        DeviceEvents.report(server.context(), pc, daysAgo(2), 530, null);
        server.bean(HelpdeskRecovery.class).reveal(HELPDESK, key.id(), new HelpdeskRequest("CORP\\dave",
                "Call back to the number on file", null, null, "Too many PIN attempts (TPM lockout)", "locked out after travel"),
                "helpdesk-web", "127.0.0.1");

        List<TimelineEntry> entries = timeline.of(idOf(pc));

        assertThat(entries).extracting(TimelineEntry::what).containsSubsequence(
                "Locked out after too many PIN attempts (530)", "Key escrowed");
        assertThat(entries).extracting(TimelineEntry::what).contains("Key disclosed", "Device asked to rotate",
                "Recovery password revealed (helpdesk)");
        TimelineEntry reveal = entries.stream().filter(TimelineEntry::recovery).findFirst().orElseThrow();
        assertThat(reveal.key()).isEqualTo(key.id().shortId());
        assertThat(reveal.detail()).contains("reason: Too many PIN attempts (TPM lockout)");
        assertThat(entries).extracting(TimelineEntry::at).isSortedAccordingTo(java.util.Comparator.naturalOrder());
        assertThat(Duration.between(reveal.at(), Instant.now()).abs()).isLessThan(Duration.ofMinutes(1));
    }

    static long total(List<RootCauseCount> counts, String cause) {
        return counts.stream().filter(c -> c.rootCause().equals(cause)).mapToLong(RootCauseCount::recoveries).sum();
    }
}
