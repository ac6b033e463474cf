package com.lockkeeper.escrow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.bitlocker.ComputerName;
import com.lockkeeper.bitlocker.DriveLabel;
import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.RecoveryPassword;
import com.lockkeeper.bitlocker.VolumeId;
import com.lockkeeper.bitlocker.VolumeType;
import com.lockkeeper.computers.RecoveryKeyRepository;
import com.lockkeeper.computers.StoredKey;
import com.lockkeeper.keys.RecordBinding;
import com.lockkeeper.keys.RecordOpener;
import com.lockkeeper.keys.RecordSealer;
import com.lockkeeper.keys.SealedRecord;
import com.lockkeeper.testing.Escrows;
import com.lockkeeper.testing.Installations;
import com.lockkeeper.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The re-encryption's batches on a real database: rows written in JDBC batches while the next
 * batch is re-sealed ahead, a run stopped between batches resumes at the first row it had not
 * committed (none done twice, none skipped), every secret opens afterwards, and a key package an
 * escrow adds mid-run is kept.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(TestDatabase.class)
class ReencryptionTest {

    static final int KEYS = 23;
    static final int BATCH = 5;

    @Parameter
    TestDatabase database;

    @TempDir
    Path dataDir;

    ConfigurableApplicationContext server;
    JdbcClient db;
    RecoveryKeyRepository keys;
    RecordOpener opener;

    /** What each escrowed key must still open to: protector ID → recovery password and key package (or null). */
    final Map<ProtectorId, Object[]> escrowed = new LinkedHashMap<>();

    @BeforeEach
    void escrowKeys() {
        server = Installations.server(dataDir, "reencrypt-node", database.newInstallation());
        db = server.getBean(JdbcClient.class);
        keys = server.getBean(RecoveryKeyRepository.class);
        opener = server.getBean(RecordOpener.class);
        EscrowService service = server.getBean(EscrowService.class);
        for (int i = 0; i < KEYS; i++) {
            RecoveryPassword password = Escrows.newPassword();
            byte[] keyPackage = i % 3 == 0 ? ("key package " + i).getBytes(StandardCharsets.UTF_8) : null;
            ProtectorId id = ProtectorId.parse(Escrows.newGuid());
            service.escrow(new EscrowCommand(ComputerName.parse("PC-RE-" + i + ".corp.example.com"), VolumeId.of(UUID.randomUUID()),
                    VolumeType.OPERATING_SYSTEM, DriveLabel.of("PC-RE-" + i + " C: 11/23/2026"), id, password, keyPackage,
                    List.of("CORP\\alice"), Instant.now()), Actor.system("test"));
            escrowed.put(id, new Object[] {password, keyPackage});
        }
    }

    @AfterEach
    void close() {
        server.close();
    }

    @Test
    void aRunStoppedBetweenBatchesResumesAtTheFirstRowItHadNotCommitted() {
        Map<Long, String> original = ciphertextsByRow();
        List<Long> rows = new ArrayList<>(original.keySet());
        RuntimeException stop = new RuntimeException("operator pressed Ctrl-C");

        assertThatThrownBy(() -> reencryption(server.getBean(RecordSealer.class)).run(Actor.commandLine("tester", "reencrypt-node"), (done, total) -> {
            if (done >= 2 * BATCH) {
                throw stop;
            }
        })).isSameAs(stop);

        long lastCommitted = rows.get(2 * BATCH - 1);
        assertThat(db.sql("SELECT last_key_row FROM reencrypt_job WHERE id = 1").query(Long.class).single()).isEqualTo(lastCommitted);
        assertThat(db.sql("SELECT rows_done FROM reencrypt_job WHERE id = 1").query(Long.class).single()).isEqualTo(2L * BATCH);
        Map<Long, String> stopped = ciphertextsByRow();
        original.forEach((row, ciphertext) -> assertThat(stopped.get(row).equals(ciphertext))
                .as("row " + row + " keeps its ciphertext only if it was after the last committed batch (the batch read ahead is not written)")
                .isEqualTo(row > lastCommitted));
        assertEverySecretOpens();

        Reencryption resumed = reencryption(server.getBean(RecordSealer.class));
        assertThat(resumed.interruptedRunExists()).isTrue();
        Reencryption.Result result = resumed.run(Actor.commandLine("tester", "reencrypt-node"), (done, total) -> { });

        assertThat(result.resumed()).isTrue();
        assertThat(result.rowsReencrypted()).isEqualTo(KEYS);
        Map<Long, String> after = ciphertextsByRow();
        original.forEach((row, ciphertext) -> {
            if (row <= lastCommitted) {
                assertThat(after.get(row)).as("row " + row + " was done before the stop, not again").isEqualTo(stopped.get(row));
            } else {
                assertThat(after.get(row)).as("row " + row + " was done after the stop").isNotEqualTo(ciphertext);
            }
        });
        assertThat(db.sql("SELECT finished_at FROM reencrypt_job WHERE id = 1").query(Object.class).optional()).isPresent();
        assertThat(db.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'datakey.reencrypt' AND detail LIKE :d")
                .param("d", KEYS + " row(s) re-encrypted%(resumed run)").query(Long.class).single()).isEqualTo(1);
        assertEverySecretOpens();
    }

    @Test
    void aKeyPackageAddedWhileItsRowWasBeingReencryptedIsKeptAndReencrypted() {
        ProtectorId target = escrowed.entrySet().stream().filter(e -> e.getValue()[1] == null).skip(BATCH + 1).findFirst()
                .orElseThrow().getKey();
        StoredKey before = keys.byProtectorId(target).orElseThrow();
        byte[] added = "added by an escrow mid-run".getBytes(StandardCharsets.UTF_8);
        RecordSealer real = server.getBean(RecordSealer.class);
        AtomicBoolean escrowedMidRun = new AtomicBoolean();
        RecordSealer escrowingMidRun = new RecordSealer() {
            @Override
            public SealedRecord seal(RecordBinding binding, byte[] secret) {
                if (binding.protectorId().equals(target) && escrowedMidRun.compareAndSet(false, true)) {
                    // An escrow repeats this key with its key package after the row was read for re-encryption.
                    assertThat(keys.addKeyPackageIfMissing(before.id(),
                            real.seal(RecordBinding.keyPackage(target, before.volumeId()), added.clone()))).isTrue();
                }
                return real.seal(binding, secret);
            }

            @Override
            public byte[] fingerprint(RecordBinding binding, byte[] secret) {
                return real.fingerprint(binding, secret);
            }
        };

        Reencryption.Result result = reencryption(escrowingMidRun).run(Actor.commandLine("tester", "reencrypt-node"), (done, total) -> { });

        assertThat(escrowedMidRun).isTrue();
        assertThat(result.rowsReencrypted()).isEqualTo(KEYS);
        StoredKey after = keys.byProtectorId(target).orElseThrow();
        assertThat(after.keyPackage()).as("the key package added mid-run is not overwritten").isNotNull();
        assertThat(after.password().ciphertext()).isNotEqualTo(before.password().ciphertext());
        assertThat(opener.open(RecordBinding.keyPackage(target, after.volumeId()), after.keyPackage())).isEqualTo(added);
        escrowed.get(target)[1] = added;
        assertEverySecretOpens();
    }

    private Reencryption reencryption(RecordSealer sealer) {
        return new Reencryption(keys, new ReencryptionJobs(db), opener, sealer, server.getBean(AuditLog.class),
                server.getBean(TransactionTemplate.class), Clock.systemUTC(), BATCH);
    }

    /** Each row's password ciphertext: every sealing draws a fresh nonce, so a re-encrypted row has a new one. */
    private Map<Long, String> ciphertextsByRow() {
        Map<Long, String> ciphertexts = new LinkedHashMap<>();
        db.sql("SELECT key_id AS id, password_ct FROM key_secret ORDER BY key_id").query(rs -> {
            ciphertexts.put(rs.getLong("id"), HexFormat.of().formatHex(rs.getBytes("password_ct")));
        });
        assertThat(ciphertexts).hasSize(KEYS);
        return ciphertexts;
    }

    private void assertEverySecretOpens() {
        escrowed.forEach((id, secrets) -> {
            StoredKey key = keys.byProtectorId(id).orElseThrow();
            RecoveryPassword password = (RecoveryPassword) secrets[0];
            assertThat(opener.open(RecordBinding.recoveryPassword(id, key.volumeId()), key.password())).as("password of " + id)
                    .isEqualTo(password.keyBytes());
            byte[] keyPackage = (byte[]) secrets[1];
            if (keyPackage == null) {
                assertThat(key.keyPackage()).isNull();
            } else {
                assertThat(opener.open(RecordBinding.keyPackage(id, key.volumeId()), key.keyPackage())).as("key package of " + id)
                        .isEqualTo(keyPackage);
            }
        });
    }
}
