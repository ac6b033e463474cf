package com.lockkeeper.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.bitlocker.ComputerName;
import com.lockkeeper.bitlocker.VolumeId;
import com.lockkeeper.bitlocker.VolumeType;
import com.lockkeeper.computers.ComputerRepository;
import com.lockkeeper.lifecycle.CheckinReport;
import com.lockkeeper.lifecycle.CheckinService;
import com.lockkeeper.recovery.HelpdeskRecovery;
import com.lockkeeper.recovery.HelpdeskRequest;
import com.lockkeeper.recovery.KeyNotFoundException;
import com.lockkeeper.testing.Recoveries;
import com.lockkeeper.testing.Recoveries.Escrowed;
import com.lockkeeper.testing.MovableClock;
import com.lockkeeper.testing.TestClock;
import com.lockkeeper.testing.People;
import com.lockkeeper.testing.WebServerTest;
import com.lockkeeper.testing.WebSession;
import com.lockkeeper.users.Role;
import com.lockkeeper.users.SignedInUser;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The retention on a real server: retire, legal hold, check-in, stale flag and the purge, with the clock moved on. */
@Import(MovableClock.class)
@WebServerTest(properties = {"lockkeeper.retention.purge-after=P30D", "lockkeeper.retention.stale-after=P90D"})
class RetentionTest {

    static final Actor ADMIN = Actor.user("retention-admin");
    static final SignedInUser HELPDESK = new SignedInUser("hd-retention", Set.of(Role.HELPDESK), "form");

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TestClock clock;

    @Autowired
    Retention retention;

    @Autowired
    RetentionJob job;

    static String newComputer() {
        return "RET-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    Escrowed escrow(String computer) {
        return Recoveries.escrow(context, computer, "CORP\\alice", clock.instant());
    }

    byte[] passwordCt(Escrowed key) {
        return jdbc.sql("SELECT password_ct FROM key_secret JOIN recovery_key ON recovery_key.id = key_secret.key_id WHERE protector_id = :id").param("id", key.id().hex())
                .query(byte[].class).single();
    }

    boolean purged(Escrowed key) {
        return jdbc.sql("SELECT purged_at IS NOT NULL FROM recovery_key WHERE protector_id = :id").param("id", key.id().hex())
                .query(Boolean.class).single();
    }

    long audited(String action, String target) {
        return jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE action = :action AND target = :target")
                .param("action", action).param("target", target).query(Long.class).single();
    }

    void checkin(Escrowed key) {
        var guid = jdbc.sql("SELECT v.volume_guid FROM recovery_key k JOIN volume v ON v.id = k.volume_id WHERE k.protector_id = :id")
                .param("id", key.id().hex()).query(UUID.class).single();
        context.getBean(CheckinService.class).checkin(new CheckinReport(ComputerName.parse(key.computer()), List.of(
                new CheckinReport.Volume(VolumeId.of(guid), VolumeType.OPERATING_SYSTEM, null, "On", "XtsAes256",
                        List.of("Tpm", "RecoveryPassword"), List.of(key.id())))), Actor.device("test"));
    }

    List<PurgeSchedule> scheduleOf(String computer) {
        return retention.schedule().stream().filter(s -> s.key().computer().equals(computer)).toList();
    }

    @Test
    void theKeysOfARetiredComputerArePurgedAfterThePeriodKeepingTheirMetadataAndAnAuditRecord() {
        String pc = newComputer();
        Escrowed key = escrow(pc);
        Escrowed superseded = escrow(pc);
        jdbc.sql("""
                INSERT INTO superseded_key (key_id, protector_id, created_at, escrowed_at, format_version, epoch_id, password_ct,
                                            key_package_epoch_id, key_package_ct, fingerprint, superseded_at, superseded_by)
                SELECT id, protector_id, created_at, escrowed_at, format_version, epoch_id, password_ct, key_package_epoch_id,
                       key_package_ct, fingerprint, escrowed_at, 'test' FROM key_secret JOIN recovery_key ON recovery_key.id = key_secret.key_id WHERE protector_id = :id""")
                .param("id", superseded.id().hex()).update();

        ComputerRetention retired = retention.retire(pc, "decommissioned, ticket 4711", ADMIN);

        assertThat(retired.retired()).isTrue();
        assertThat(audited("computer.retire", "computer " + pc)).isEqualTo(1);
        assertThat(scheduleOf(pc)).hasSize(2).allSatisfy(s -> {
            assertThat(s.purgeAt()).isEqualTo(retired.retiredAt().plus(Duration.ofDays(30)));
            assertThat(s.blockedBy()).isNull();
        });
        job.runOnce();
        assertThat(purged(key)).as("not due before the period").isFalse();

        clock.advance(Duration.ofDays(31));
        job.runOnce();

        for (Escrowed k : List.of(key, superseded)) {
            assertThat(purged(k)).isTrue();
            assertThat(passwordCt(k)).isEmpty();
            assertThat(jdbc.sql("SELECT key_package_ct FROM key_secret JOIN recovery_key ON recovery_key.id = key_secret.key_id WHERE protector_id = :id").param("id", k.id().hex())
                    .query((rs, n) -> rs.getBytes(1) == null).single()).as("key package deleted").isTrue();
            assertThat(audited("key.purge", "key " + k.id())).isEqualTo(1);
        }
        assertThat(jdbc.sql("SELECT COUNT(*) FROM superseded_key WHERE protector_id = :id").param("id", superseded.id().hex())
                .query(Long.class).single()).isZero();
        assertThat(jdbc.sql("SELECT detail FROM audit_log WHERE action = 'key.purge' AND target = :t").param("t", "key " + key.id())
                .query(String.class).single()).contains("computer: " + pc, "decommissioned, ticket 4711", "purge-after P30D");
        assertThat(jdbc.sql("SELECT status FROM recovery_key WHERE protector_id = :id").param("id", key.id().hex())
                .query(String.class).single()).as("metadata kept").isEqualTo("active");
        assertThat(scheduleOf(pc)).isEmpty();

        assertThatThrownBy(() -> context.getBean(HelpdeskRecovery.class).reveal(HELPDESK, key.id(), new HelpdeskRequest("CORP\\alice",
                "Call back to the number on file", null, null, "Lost or forgotten PIN", null), "helpdesk-web", "127.0.0.1"))
                .isInstanceOf(KeyNotFoundException.class).hasMessageContaining("was purged").hasMessageContaining("retention");
    }

    @Test
    void aLegalHoldKeepsTheKeysUntilItIsReleased() {
        String pc = newComputer();
        Escrowed key = escrow(pc);
        retention.retire(pc, "stolen", ADMIN);
        retention.hold(pc, "litigation 2026-17", ADMIN);

        clock.advance(Duration.ofDays(31));
        job.runOnce();

        assertThat(purged(key)).isFalse();
        assertThat(passwordCt(key)).isNotEmpty();
        assertThat(scheduleOf(pc)).singleElement().satisfies(s -> {
            assertThat(s.purgeAt()).isNull();
            assertThat(s.blockedBy()).isEqualTo(PurgeSchedule.LEGAL_HOLD);
        });
        assertThat(audited("computer.hold", "computer " + pc)).isEqualTo(1);

        retention.release(pc, ADMIN);
        job.runOnce();

        assertThat(purged(key)).isTrue();
        assertThat(audited("computer.release", "computer " + pc)).isEqualTo(1);
    }

    @Test
    void aRetiredComputerThatChecksInIsRetiredNoLongerAndItsKeysAreKept() {
        String pc = newComputer();
        Escrowed key = escrow(pc);
        retention.retire(pc, "decommissioned", ADMIN);

        checkin(key);

        assertThat(context.getBean(RetentionRepository.class).computer(pc).orElseThrow().retired()).isFalse();
        assertThat(audited("computer.unretire", "computer " + pc)).isEqualTo(1);
        clock.advance(Duration.ofDays(31));
        job.runOnce();
        assertThat(purged(key)).isFalse();
        assertThat(passwordCt(key)).isNotEmpty();
    }

    @Test
    void aComputerSilentForStaleAfterIsFlaggedNotRetiredAndItsNextCheckinClearsTheFlag() {
        String pc = newComputer();
        Escrowed key = escrow(pc);
        ComputerRepository computers = context.getBean(ComputerRepository.class);
        computers.recordCheckin(computers.computerId(pc).orElseThrow(), clock.instant());

        clock.advance(Duration.ofDays(91));
        List<String> flagged = retention.flagStale(Actor.system("test"));

        assertThat(flagged).contains(pc);
        ComputerRetention stale = context.getBean(RetentionRepository.class).computer(pc).orElseThrow();
        assertThat(stale.stale()).isTrue();
        assertThat(stale.retired()).as("auto-retire is off").isFalse();
        assertThat(audited("computer.stale", "computer " + pc)).isEqualTo(1);
        assertThat(retention.flagStale(Actor.system("test"))).as("flagged once").doesNotContain(pc);

        checkin(key);

        assertThat(context.getBean(RetentionRepository.class).computer(pc).orElseThrow().stale()).isFalse();
    }

    @Test
    void anAdminRetiresAndUnretiresOnTheRetentionPageAndOnlyAdminsMay() {
        String pc = newComputer();
        escrow(pc);
        WebSession admin = WebSession.signedIn(port, People.add(context, "ret-admin", Role.ADMIN), People.PASSWORD);

        WebSession.Page retired = admin.post("/admin/retention/retire", Map.of("computer", pc.toLowerCase(), "reason", "sold"));

        assertThat(retired.redirectsTo("/admin/retention")).isTrue();
        assertThat(admin.follow(retired).body()).contains(pc + " is retired: its keys are purged on", "sold", "Unretire");
        assertThat(audited("computer.retire", "computer " + pc)).isEqualTo(1);
        assertThat(admin.follow(admin.post("/admin/retention/retire", Map.of("computer", pc, "reason", "again"))).body())
                .contains("was retired already");
        assertThat(admin.follow(admin.post("/admin/retention/unretire", Map.of("computer", pc))).body())
                .contains(pc + " is no longer retired");

        WebSession auditor = WebSession.signedIn(port, People.add(context, "ret-auditor", Role.AUDITOR), People.PASSWORD);
        assertThat(auditor.get("/admin/retention").status()).isEqualTo(403);
    }

    @Test
    void retiringTwiceOrAnUnknownComputerSaysWhatToDo() {
        String pc = newComputer();
        escrow(pc);
        retention.retire(pc, "decommissioned", ADMIN);

        assertThatThrownBy(() -> retention.retire(pc, "again", ADMIN)).isInstanceOf(RetentionException.class)
                .hasMessageContaining("lockkeeper computer unretire " + pc);
        assertThatThrownBy(() -> retention.retire("NO-SUCH-PC", "gone", ADMIN)).isInstanceOf(RetentionException.class)
                .hasMessageContaining("no computer is named NO-SUCH-PC");
        assertThatThrownBy(() -> retention.hold(pc, " ", ADMIN)).isInstanceOf(RetentionException.class)
                .hasMessageContaining("--reason");
        retention.unretire(pc, ADMIN);
        assertThat(audited("computer.unretire", "computer " + pc)).isEqualTo(1);
    }
}
