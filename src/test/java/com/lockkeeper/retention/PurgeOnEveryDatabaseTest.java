package com.lockkeeper.retention;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.computers.ComputerRepository;
import com.lockkeeper.computers.ComputerRepository.VolumeReport;
import com.lockkeeper.testing.DatabaseServer;
import com.lockkeeper.testing.Recoveries;
import com.lockkeeper.testing.Recoveries.Escrowed;
import com.lockkeeper.testing.ServerPerDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.springframework.transaction.support.TransactionTemplate;

/** The purge's SQL on H2 and PostgreSQL: a retention with a purge period of zero, so that a retired computer's keys are due at once. */
@ParameterizedClass(name = "on {0}")
@ServerPerDatabase
class PurgeOnEveryDatabaseTest {

    static final Actor ADMIN = Actor.user("purge-admin");

    @Parameter
    DatabaseServer server;

    Retention retention;

    @BeforeEach
    void retentionPurgingAtOnce() {
        retention = new Retention(server.bean(RetentionRepository.class),
                new RetentionSettings(Duration.ofDays(180), false, Duration.ZERO, Duration.ofHours(1)), server.bean(AuditLog.class),
                server.bean(TransactionTemplate.class), Clock.systemUTC());
    }

    static String newComputer() {
        return "PRG-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    boolean purged(Escrowed key) {
        return server.jdbc().sql("SELECT purged_at IS NOT NULL AND OCTET_LENGTH(password_ct) = 0 AND key_package_ct IS NULL"
                + " FROM key_secret JOIN recovery_key ON recovery_key.id = key_secret.key_id WHERE protector_id = :id").param("id", key.id().hex()).query(Boolean.class).single();
    }

    @Test
    void aRetiredComputersKeysArePurgedButNotOnHoldNorWhenADeviceReportedThemSinceTheRetirement() throws InterruptedException {
        Escrowed gone = Recoveries.escrow(server.context(), newComputer(), "CORP\\alice", Instant.now());
        Escrowed held = Recoveries.escrow(server.context(), newComputer(), "CORP\\alice", Instant.now());
        Escrowed reported = Recoveries.escrow(server.context(), newComputer(), "CORP\\alice", Instant.now());
        for (Escrowed key : List.of(gone, held, reported)) {
            retention.retire(key.computer(), "decommissioned", ADMIN);
        }
        retention.hold(held.computer(), "litigation", ADMIN);
        // A check-in racing the purge: its volume report (written before it un-retires the computer) lists the key.
        Thread.sleep(5);
        ComputerRepository computers = server.bean(ComputerRepository.class);
        long volume = server.jdbc().sql("SELECT volume_id FROM recovery_key WHERE protector_id = :id").param("id", reported.id().hex())
                .query(Long.class).single();
        computers.recordVolumeReport(volume, new VolumeReport("On", "XtsAes256", List.of("Tpm", "RecoveryPassword"),
                List.of(reported.id().hex())), Instant.now());

        assertThat(retention.schedule()).filteredOn(s -> s.key().protectorId().equals(reported.id())).singleElement()
                .satisfies(s -> assertThat(s.blockedBy()).isEqualTo(PurgeSchedule.REPORTED));
        retention.purgeDue(ADMIN);

        assertThat(purged(gone)).isTrue();
        assertThat(purged(held)).isFalse();
        assertThat(purged(reported)).isFalse();
        assertThat(server.jdbc().sql("SELECT COUNT(*) FROM audit_log WHERE action = 'key.purge' AND target = :t")
                .param("t", "key " + gone.id()).query(Long.class).single()).isEqualTo(1);
    }
}
