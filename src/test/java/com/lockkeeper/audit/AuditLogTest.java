package com.lockkeeper.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lockkeeper.LockkeeperSettings;
import com.lockkeeper.audit.AuditVerification.BrokenLink;
import com.lockkeeper.bitlocker.ComputerName;
import com.lockkeeper.bitlocker.DriveLabel;
import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.RecoveryPassword;
import com.lockkeeper.bitlocker.VolumeId;
import com.lockkeeper.bitlocker.VolumeType;
import com.lockkeeper.escrow.EscrowCommand;
import com.lockkeeper.escrow.EscrowOutcome;
import com.lockkeeper.escrow.EscrowService;
import com.lockkeeper.support.DbTime;
import com.lockkeeper.testing.DatabaseServer;
import com.lockkeeper.testing.Escrows;
import com.lockkeeper.testing.Installations;
import com.lockkeeper.testing.Secrets;
import com.lockkeeper.testing.ServerPerDatabase.Installation;
import com.lockkeeper.testing.ServerPerDatabase;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The hash-chained audit log against a real installation on each database (the server's lanes):
 * appends in the caller's transaction, verification, tampering by plain SQL, and many
 * concurrent escrows.
 */
@ParameterizedClass(name = "on {0}")
@ServerPerDatabase(value = Installation.OWN, node = "audit-test")
class AuditLogTest {

    private static final Actor TESTER = Actor.system("audit-log-test");

    /** A new installation for this class alone: the tests verify, and tamper with, its whole audit log. */
    @Parameter
    DatabaseServer server;

    static AuditLog audit;
    static AuditVerifier verifier;
    static TransactionTemplate transactions;
    static JdbcClient jdbc;
    static EscrowService escrow;
    static int lanes;

    @BeforeParameterizedClassInvocation
    static void beans(DatabaseServer server) {
        audit = server.bean(AuditLog.class);
        verifier = server.bean(AuditVerifier.class);
        transactions = server.bean(TransactionTemplate.class);
        jdbc = server.jdbc();
        escrow = server.bean(EscrowService.class);
        lanes = server.bean(LockkeeperSettings.class).auditLanes();
        assertThat(lanes).as("the server writes several lanes").isGreaterThan(1);
    }

    // --- appending ---------------------------------------------------------------------------

    @Test
    void aRecordCommitsWithTheCallersTransaction() {
        String detail = unique("committed");
        long before = count();

        transactions.executeWithoutResult(tx -> {
            audit.record(AuditEntry.success(TESTER, "test.commit", "target", detail));
            // Visible inside the transaction that wrote it...
            assertThat(countWithDetail(detail)).isEqualTo(1);
        });

        // ...and after its commit, once, with everything it was given.
        assertThat(count()).isEqualTo(before + 1);
        Map<String, Object> row = jdbc.sql("SELECT * FROM audit_log WHERE detail = :d").param("d", detail).query().singleRow();
        assertThat(row).containsEntry("actor", "system:audit-log-test").containsEntry("action", "test.commit")
                .containsEntry("target", "target").containsEntry("outcome", "success");
        assertThat((String) row.get("lane")).startsWith("audit-test/server/");
        assertThat(verifier.verify().intact()).isTrue();
    }

    @Test
    void aRecordOutsideAnyTransactionIsWrittenInOneOfItsOwn() {
        String detail = unique("standalone");

        audit.record(AuditEntry.refused(TESTER, "test.standalone", null, detail));

        assertThat(countWithDetail(detail)).isEqualTo(1);
        assertThat(jdbc.sql("SELECT outcome FROM audit_log WHERE detail = :d").param("d", detail).query(String.class).single())
                .isEqualTo("refused");
        assertThat(verifier.verify().intact()).isTrue();
    }

    @Test
    void aRolledBackTransactionLeavesNoRecordAndItsLaneChainsOn() {
        String detail = unique("rolled-back");
        long before = count();
        String[] laneAndSeq = new String[2];

        transactions.executeWithoutResult(tx -> {
            audit.record(AuditEntry.success(TESTER, "test.rollback", "target", detail));
            Map<String, Object> row = jdbc.sql("SELECT lane, seq FROM audit_log WHERE detail = :d").param("d", detail)
                    .query().singleRow();
            laneAndSeq[0] = (String) row.get("lane");
            laneAndSeq[1] = String.valueOf(row.get("seq"));
            tx.setRollbackOnly();
        });

        assertThat(countWithDetail(detail)).as("the rolled-back record").isZero();
        assertThat(count()).isEqualTo(before);

        // The same thing with an exception, the usual way a transaction rolls back.
        String failed = unique("failed");
        assertThatThrownBy(() -> transactions.executeWithoutResult(tx -> {
            audit.record(AuditEntry.success(TESTER, "test.rollback", "target", failed));
            throw new IllegalStateException("the action failed after its audit record");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(countWithDetail(failed)).isZero();

        // The next records go round every lane, so one lands in the lane that was rolled back.
        List<String> next = new ArrayList<>();
        for (int i = 0; i < 2 * lanes; i++) {
            String d = unique("after-rollback");
            next.add(d);
            transactions.executeWithoutResult(tx -> audit.record(AuditEntry.success(TESTER, "test.rollback.next", "target", d)));
        }
        Long reused = jdbc.sql("SELECT MIN(seq) FROM audit_log WHERE lane = :lane AND action = 'test.rollback.next' AND seq >= :seq")
                .param("lane", laneAndSeq[0]).param("seq", Long.parseLong(laneAndSeq[1])).query(Long.class).single();
        assertThat(reused).as("the next record of lane %s takes the rolled-back sequence number", laneAndSeq[0])
                .isEqualTo(Long.parseLong(laneAndSeq[1]));
        assertThat(count()).isEqualTo(before + next.size());
        AuditVerification verification = verifier.verify();
        assertThat(verification.firstBrokenLink()).isEmpty();
        assertThat(verification.intact()).isTrue();
    }

    @Test
    void aTransactionThatRecordsTwiceChainsBothInOneLane() {
        String first = unique("twice-1");
        String second = unique("twice-2");

        transactions.executeWithoutResult(tx -> {
            audit.record(AuditEntry.success(TESTER, "test.twice", "target", first));
            audit.record(AuditEntry.success(TESTER, "test.twice", "target", second));
        });

        Map<String, Object> a = jdbc.sql("SELECT lane, seq FROM audit_log WHERE detail = :d").param("d", first).query().singleRow();
        Map<String, Object> b = jdbc.sql("SELECT lane, seq FROM audit_log WHERE detail = :d").param("d", second).query().singleRow();
        assertThat(b.get("lane")).isEqualTo(a.get("lane"));
        assertThat(((Number) b.get("seq")).longValue()).isEqualTo(((Number) a.get("seq")).longValue() + 1);
        assertThat(verifier.verify().intact()).isTrue();
    }

    /**
     * On an installation of its own: before the fix, the inner transaction wrote into the lane its
     * outer transaction held, and either one rolling back left a gap that broke the log for good.
     */
    @Test
    void aNewTransactionInsideOneThatHoldsALaneWritesAnotherLaneAndBothOutcomesKeepTheChains(@TempDir Path ownDataDir) {
        try (ConfigurableApplicationContext own = Installations.server(ownDataDir, "nested-test", server.database().newInstallation())) {
            AuditLog audit = own.getBean(AuditLog.class);
            AuditVerifier verifier = own.getBean(AuditVerifier.class);
            JdbcClient jdbc = own.getBean(JdbcClient.class);
            TransactionTemplate transactions = own.getBean(TransactionTemplate.class);
            TransactionTemplate requiresNew = new TransactionTemplate(transactions.getTransactionManager());
            requiresNew.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
            java.util.function.ToLongFunction<String> withDetail = detail -> jdbc
                    .sql("SELECT COUNT(*) FROM audit_log WHERE detail = :d").param("d", detail).query(Long.class).single();

            // Outer rolls back, inner commits.
            String outer = unique("outer-rolled-back");
            String inner = unique("inner-committed");
            transactions.executeWithoutResult(tx -> {
                audit.record(AuditEntry.success(TESTER, "test.nested", "target", outer));
                requiresNew.executeWithoutResult(innerTx -> audit.record(AuditEntry.success(TESTER, "test.nested", "target", inner)));
                tx.setRollbackOnly();
            });
            assertThat(withDetail.applyAsLong(outer)).isZero();
            assertThat(withDetail.applyAsLong(inner)).isEqualTo(1);
            assertThat(verifier.verify().firstBrokenLink()).as("after outer rollback, inner commit").isEmpty();

            // Outer commits, inner rolls back.
            String outer2 = unique("outer-committed");
            String inner2 = unique("inner-rolled-back");
            transactions.executeWithoutResult(tx -> {
                audit.record(AuditEntry.success(TESTER, "test.nested", "target", outer2));
                requiresNew.executeWithoutResult(innerTx -> {
                    audit.record(AuditEntry.success(TESTER, "test.nested", "target", inner2));
                    innerTx.setRollbackOnly();
                });
                audit.record(AuditEntry.success(TESTER, "test.nested", "target", outer2 + " again"));
            });
            assertThat(withDetail.applyAsLong(outer2)).isEqualTo(1);
            assertThat(withDetail.applyAsLong(inner2)).isZero();

            // Every lane gets records afterwards, so a gap anywhere would show.
            int ownLanes = own.getBean(LockkeeperSettings.class).auditLanes();
            for (int i = 0; i < 2 * ownLanes; i++) {
                audit.record(AuditEntry.success(TESTER, "test.nested.next", "target", unique("after-nested")));
            }
            assertThat(verifier.verify().firstBrokenLink()).isEmpty();
        }
    }

    // --- verification --------------------------------------------------------------------------

    @Test
    void anIntactLogVerifiesAndReportsEveryLaneHead() {
        fillEveryLane(3);

        AuditVerification verification = verifier.verify();

        assertThat(verification.intact()).isTrue();
        assertThat(verification.firstBrokenLink()).isEmpty();
        assertThat(verification.records()).isEqualTo(count());
        List<Map<String, Object>> heads = jdbc.sql("""
                        SELECT a.lane, a.seq, a.hash FROM audit_log a
                        WHERE a.seq = (SELECT MAX(b.seq) FROM audit_log b WHERE b.lane = a.lane)""")
                .query().listOfRows();
        assertThat(verification.heads()).hasSize(heads.size()).hasSizeGreaterThanOrEqualTo(lanes);
        for (Map<String, Object> head : heads) {
            AuditVerification.Head reported = verification.heads().get((String) head.get("lane"));
            assertThat(reported).as("head of %s", head.get("lane")).isNotNull();
            assertThat(reported.seq()).isEqualTo(((Number) head.get("seq")).longValue());
            assertThat(reported.hash()).isEqualTo((byte[]) head.get("hash"));
            assertThat(reported.hashHex()).hasSize(64);
        }
    }

    @Test
    void anAlteredDetailBreaksTheChainAtThatRecord() {
        Record target = middleRecord();

        BrokenLink broken = tamperedThenVerified(() -> assertThat(jdbc.sql(
                        "UPDATE audit_log SET detail = :d WHERE lane = :lane AND seq = :seq")
                .param("d", "nothing happened here").param("lane", target.lane()).param("seq", target.seq()).update()).isEqualTo(1));

        assertThat(broken.lane()).isEqualTo(target.lane());
        assertThat(broken.seq()).isEqualTo(target.seq());
        assertThat(broken.problem()).contains("altered");
    }

    @Test
    void anAlteredTimeOrActorBreaksTheChainAtThatRecord() {
        Record target = middleRecord();

        BrokenLink broken = tamperedThenVerified(() -> jdbc.sql(
                        "UPDATE audit_log SET actor = 'user:someone-else', at = at + INTERVAL '1' SECOND WHERE lane = :lane AND seq = :seq")
                .param("lane", target.lane()).param("seq", target.seq()).update());

        assertThat(broken.lane()).isEqualTo(target.lane());
        assertThat(broken.seq()).isEqualTo(target.seq());
        assertThat(broken.problem()).contains("altered");
    }

    @Test
    void aRecordDeletedFromTheMiddleOfALaneIsReportedMissing() {
        Record target = middleRecord();

        BrokenLink broken = tamperedThenVerified(() -> assertThat(jdbc.sql("DELETE FROM audit_log WHERE lane = :lane AND seq = :seq")
                .param("lane", target.lane()).param("seq", target.seq()).update()).isEqualTo(1));

        assertThat(broken.lane()).isEqualTo(target.lane());
        assertThat(broken.seq()).isEqualTo(target.seq());
        assertThat(broken.problem()).contains("missing");
    }

    @Test
    void theFirstRecordOfALaneDeletedIsReportedMissing() {
        Record target = middleRecord();

        BrokenLink broken = tamperedThenVerified(() -> jdbc.sql("DELETE FROM audit_log WHERE lane = :lane AND seq = 1")
                .param("lane", target.lane()).update());

        assertThat(broken.lane()).isEqualTo(target.lane());
        assertThat(broken.seq()).isEqualTo(1);
        assertThat(broken.problem()).contains("missing");
    }

    @Test
    void aForgedRecordWithARecomputedPlainHashIsCaughtByItsKeyedHashAndByTheNextRecord() {
        Record target = middleRecord();

        List<BrokenLink> broken = allTamperedThenVerified(() -> {
            Map<String, Object> row = jdbc.sql("SELECT * FROM audit_log WHERE lane = :lane AND seq = :seq")
                    .param("lane", target.lane()).param("seq", target.seq()).query().singleRow();
            Instant at = jdbc.sql("SELECT at FROM audit_log WHERE lane = :lane AND seq = :seq")
                    .param("lane", target.lane()).param("seq", target.seq())
                    .query((rs, n) -> DbTime.read(rs, "at")).single();
            String forgedDetail = "a harmless, forged detail";
            byte[] forgedHash = AuditChain.hash(target.lane(), target.seq(), at, (String) row.get("actor"),
                    (String) row.get("action"), (String) row.get("target"), (String) row.get("outcome"), forgedDetail,
                    (byte[]) row.get("prev_hash"));
            jdbc.sql("UPDATE audit_log SET detail = :d, hash = :h WHERE lane = :lane AND seq = :seq")
                    .param("d", forgedDetail).param("h", forgedHash).param("lane", target.lane()).param("seq", target.seq())
                    .update();
            // The forgery is self-consistent as a plain hash; but the record is keyed, and without the key
            // nobody can make its keyed hash.
            AuditRecord forged = new AuditRecord(target.lane(), target.seq(), DbTime.truncate(at), (String) row.get("actor"),
                    (String) row.get("action"), (String) row.get("target"), (String) row.get("outcome"), forgedDetail,
                    (byte[]) row.get("prev_hash"), forgedHash, (String) row.get("key_id"));
            assertThat(forged.keyed()).as("records are keyed").isTrue();
            assertThat(AuditChain.hash(forged)).isEqualTo(forgedHash);
        });

        assertThat(broken).extracting(BrokenLink::lane).containsOnly(target.lane());
        assertThat(broken.get(0).seq()).isEqualTo(target.seq());
        assertThat(broken.get(0).problem()).contains("keyed hash");
        assertThat(broken).anySatisfy(link -> assertThat(link.problem()).contains("does not link"));
    }

    @Test
    void aLaneRewrittenWithoutItsKeyIsCaughtWhateverHashesItCarries() {
        Record target = middleRecord();

        List<BrokenLink> broken = allTamperedThenVerified(() -> {
            // Rewrite the lane from the target on as unkeyed records, every plain hash recomputed and linked.
            List<Map<String, Object>> rows = jdbc.sql("SELECT * FROM audit_log WHERE lane = :lane AND seq >= :seq ORDER BY seq")
                    .param("lane", target.lane()).param("seq", target.seq()).query().listOfRows();
            byte[] prev = (byte[]) rows.get(0).get("prev_hash");
            for (Map<String, Object> row : rows) {
                long seq = ((Number) row.get("seq")).longValue();
                Instant at = jdbc.sql("SELECT at FROM audit_log WHERE lane = :lane AND seq = :seq")
                        .param("lane", target.lane()).param("seq", seq).query((rs, n) -> DbTime.read(rs, "at")).single();
                String detail = seq == target.seq() ? "rewritten" : (String) row.get("detail");
                byte[] hash = AuditChain.hash(target.lane(), seq, at, (String) row.get("actor"), (String) row.get("action"),
                        (String) row.get("target"), (String) row.get("outcome"), detail, prev);
                jdbc.sql("UPDATE audit_log SET detail = :d, prev_hash = :p, hash = :h, key_id = NULL WHERE lane = :lane AND seq = :seq")
                        .param("d", detail).param("p", prev).param("h", hash).param("lane", target.lane()).param("seq", seq)
                        .update();
                prev = hash;
            }
        });

        assertThat(broken).isNotEmpty();
        assertThat(broken.get(0).lane()).isEqualTo(target.lane());
        assertThat(broken.get(0).seq()).isEqualTo(target.seq());
        assertThat(broken.get(0).problem()).contains("without its key");
    }

    @Test
    void aRecordWhoseAuditKeyWasRemovedFromTheDatabaseIsReported() {
        Record target = middleRecord();
        String keyId = jdbc.sql("SELECT key_id FROM audit_log WHERE lane = :lane AND seq = :seq")
                .param("lane", target.lane()).param("seq", target.seq()).query(String.class).single();

        List<BrokenLink> broken = allTamperedThenVerified(() ->
                jdbc.sql("UPDATE audit_log SET key_id = 'made-up:1' WHERE lane = :lane AND seq = :seq")
                        .param("lane", target.lane()).param("seq", target.seq()).update());

        assertThat(keyId).as("the record was keyed").isNotNull();
        assertThat(broken).anySatisfy(link -> assertThat(link.problem()).contains("not in the database"));
    }

    // --- concurrency and secrets -----------------------------------------------------------------

    @Test
    void concurrentEscrowsAreEachAuditedOnSeveralLanesAndTheLogStaysIntact() throws Exception {
        int threads = 8;
        int perThread = 200;
        long escrowRecordsBefore = escrowRecords();
        long recordsBefore = count();
        CyclicBarrier start = new CyclicBarrier(threads);
        List<RecoveryPassword> passwords = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit((Callable<Integer>) () -> {
                    start.await();
                    int created = 0;
                    for (int i = 0; i < perThread; i++) {
                        RecoveryPassword password = Escrows.newPassword();
                        passwords.add(password);
                        // Computers are shared between threads: several volumes of one computer escrow at once.
                        EscrowCommand command = command("PC-" + (i % 25) + ".corp.example.com", password,
                                i % 10 == 0 ? ("key package " + thread + "/" + i + " of some length").getBytes() : null);
                        if (escrow.escrow(command, Actor.device("concurrency-" + thread)) == EscrowOutcome.CREATED) {
                            created++;
                        }
                    }
                    return created;
                }));
            }
            int created = 0;
            for (Future<Integer> result : results) {
                created += result.get(5, TimeUnit.MINUTES);
            }
            assertThat(created).isEqualTo(threads * perThread);
        } finally {
            pool.shutdownNow();
        }

        AuditVerification verification = verifier.verify();
        assertThat(verification.firstBrokenLink()).isEmpty();
        assertThat(verification.intact()).isTrue();
        assertThat(escrowRecords() - escrowRecordsBefore).isEqualTo(threads * perThread);
        assertThat(count() - recordsBefore).isEqualTo(threads * perThread);
        assertThat(verification.records()).isEqualTo(count());
        List<String> lanesUsed = jdbc.sql("SELECT DISTINCT lane FROM audit_log WHERE action = 'escrow' AND actor LIKE 'device-token:concurrency-%'")
                .query(String.class).list();
        assertThat(lanesUsed).as("escrows do not queue on one chain head").hasSizeGreaterThan(1);

        // No audit column holds any of these recovery passwords, in any spelling.
        Secrets secrets = new Secrets();
        for (int i = 0; i < passwords.size(); i++) {
            secrets.recoveryPassword("password " + i, passwords.get(i));
        }
        Set<String> found = new HashSet<>();
        jdbc.sql("SELECT * FROM audit_log").query((java.sql.ResultSet rs) -> {
            int columns = rs.getMetaData().getColumnCount();
            for (int c = 1; c <= columns; c++) {
                found.addAll(secrets.foundInText(rs.getString(c)));
                if (rs.getMetaData().getColumnType(c) == java.sql.Types.VARBINARY) {
                    byte[] bytes = rs.getBytes(c);
                    if (bytes != null && bytes.length >= 16) {
                        found.addAll(secrets.foundInBytes(bytes));
                    }
                }
            }
        });
        assertThat(found).as("recovery passwords in the audit log").isEmpty();
    }

    // --- helpers ------------------------------------------------------------------------------------

    private record Record(String lane, long seq) {
    }

    /** A record with a predecessor and a successor in its lane. */
    private static Record middleRecord() {
        fillEveryLane(3);
        Map<String, Object> row = jdbc.sql("""
                        SELECT lane, MAX(seq) AS head FROM audit_log WHERE lane LIKE 'audit-test/server/%'
                        GROUP BY lane ORDER BY head DESC, lane LIMIT 1""").query().singleRow();
        long head = ((Number) row.get("head")).longValue();
        assertThat(head).isGreaterThanOrEqualTo(3);
        return new Record((String) row.get("lane"), head - 1);
    }

    /**
     * Tampers as a DBA would, after switching the append-only trigger off, inside a transaction;
     * verifies what the tampering left, and rolls the tampering back. PostgreSQL's DDL is
     * transactional, so the trigger comes back with the rollback; H2's is not, so it is recreated.
     */
    private static BrokenLink tamperedThenVerified(Runnable tampering) {
        return allTamperedThenVerified(tampering).get(0);
    }

    /** Every broken link the tampering left, in the order verify reports them. */
    private static List<BrokenLink> allTamperedThenVerified(Runnable tampering) {
        assertThat(verifier.verify().intact()).as("intact before tampering").isTrue();
        boolean postgresql = jdbc.sql("SELECT COUNT(*) FROM information_schema.routines WHERE routine_name = 'audit_log_append_only'")
                .query(Long.class).single() > 0;
        AuditVerification verification;
        if (!postgresql) {
            jdbc.sql("DROP TRIGGER audit_log_append_only").update();
        }
        try {
            verification = transactions.execute(tx -> {
                if (postgresql) {
                    jdbc.sql("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change").update();
                }
                tampering.run();
                AuditVerification v = verifier.verify();
                tx.setRollbackOnly();
                return v;
            });
        } finally {
            if (!postgresql) {
                jdbc.sql("CREATE TRIGGER audit_log_append_only BEFORE UPDATE, DELETE ON audit_log FOR EACH ROW"
                        + " CALL 'com.lockkeeper.audit.AppendOnlyTrigger'").update();
            }
        }
        assertThat(verifier.verify().intact()).as("intact again once the tampering is rolled back").isTrue();
        assertThat(verification.intact()).as("the tampering is detected").isFalse();
        return verification.brokenLinks();
    }

    private static void fillEveryLane(int perLane) {
        for (int i = 0; i < perLane * lanes; i++) {
            audit.record(AuditEntry.success(TESTER, "test.fill", "target", unique("fill")));
        }
    }

    private static EscrowCommand command(String computer, RecoveryPassword password, byte[] keyPackage) {
        return new EscrowCommand(ComputerName.parse(computer), VolumeId.of(UUID.randomUUID()), VolumeType.parse("FixedData"),
                DriveLabel.of(computer.split("\\.")[0] + " D: 11/23/2026"), ProtectorId.parse(Escrows.newGuid()), password,
                keyPackage, List.of("CORP\\alice"), Instant.parse("2026-11-23T10:15:00Z"));
    }

    private static long count() {
        return jdbc.sql("SELECT COUNT(*) FROM audit_log").query(Long.class).single();
    }

    private static long escrowRecords() {
        return jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'escrow'").query(Long.class).single();
    }

    private static long countWithDetail(String detail) {
        return jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE detail = :d").param("d", detail).query(Long.class).single();
    }

    private static String unique(String what) {
        return what + " " + UUID.randomUUID();
    }
}
