package com.lockkeeper.keys;

import com.lockkeeper.support.Password;
import com.lockkeeper.support.KdfParams;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.bitlocker.ComputerName;
import com.lockkeeper.bitlocker.DriveLabel;
import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.RecoveryPassword;
import com.lockkeeper.bitlocker.VolumeId;
import com.lockkeeper.bitlocker.VolumeType;
import com.lockkeeper.computers.KeyStatus;
import com.lockkeeper.computers.RecoveryKeyRepository;
import com.lockkeeper.computers.StoredKey;
import com.lockkeeper.escrow.EscrowCommand;
import com.lockkeeper.escrow.EscrowOutcome;
import com.lockkeeper.escrow.EscrowService;
import com.lockkeeper.recovery.KeyVerification;
import com.lockkeeper.recovery.RevealRequest;
import com.lockkeeper.recovery.RevealService;
import com.lockkeeper.setup.FirstStart;
import com.lockkeeper.testing.Bytes;
import com.lockkeeper.testing.Escrows;
import com.lockkeeper.testing.Installations;
import com.lockkeeper.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The key hierarchy end to end on each real database: what each layer protects, and each ceremony. */
@ParameterizedClass(name = "on {0}")
@EnumSource(TestDatabase.class)
class KeyHierarchyTest {

    static final Actor ADMIN = Actor.commandLine("tester", "node-a");
    static final RevealRequest REASON = new RevealRequest("Lost or forgotten PIN", "Call back to the number on file", "CORP\\alice", null);

    @Parameter
    TestDatabase database;

    @TempDir
    Path dataDir;

    /** The installation's database: every node of the test uses the same one. */
    String[] databaseArgs;

    ConfigurableApplicationContext nodeA;
    final List<ConfigurableApplicationContext> others = new ArrayList<>();

    @BeforeEach
    void firstStart() {
        databaseArgs = database.newInstallation();
        nodeA = Installations.server(dataDir, "node-a", databaseArgs);
    }

    @AfterEach
    void close() {
        others.forEach(ConfigurableApplicationContext::close);
        nodeA.close();
    }

    @Test
    void aFirstStartLeavesAnOpenNodeAndAPasswordFileOnlyItsOwnerCanRead() throws Exception {
        assertThat(nodeA.getBean(Barrier.class).state().open()).isTrue();
        Path passwordFile = dataDir.resolve(FirstStart.DMK_PASSWORD_FILE);
        assertThat(Files.getPosixFilePermissions(passwordFile)).containsExactlyInAnyOrder(
                java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        assertThat(Files.getPosixFilePermissions(dataDir.resolve(NodeKey.FILE_NAME))).hasSize(2);
        try (Password password = dmkPassword()) {
            nodeA.getBean(Barrier.class).openDmkWithPassword(password); // throws if the file's password does not open the DMK
        }
    }

    @Test
    void escrowedPasswordsComeBackThroughTheAuditedRevealAndTheKeyBecomesDisclosed() {
        RecoveryPassword password = Escrows.newPassword();
        EscrowCommand command = escrow(nodeA, password);

        RecoveryPassword revealed = nodeA.getBean(RevealService.class).reveal(command.recoveryPasswordId(), REASON, Actor.user("helpdesk1"));

        assertThat(revealed).isEqualTo(password);
        StoredKey key = nodeA.getBean(RecoveryKeyRepository.class).byProtectorId(command.recoveryPasswordId()).orElseThrow();
        assertThat(key.status()).isEqualTo(KeyStatus.DISCLOSED);
        assertThat(jdbc(nodeA).sql("SELECT detail FROM audit_log WHERE action = 'reveal' AND actor = 'user:helpdesk1'")
                .query(String.class).single()).contains("Lost or forgotten PIN").doesNotContain(password.reveal());
    }

    @Test
    void aCiphertextMovedToAnotherRowOrColumnFailsToDecrypt() {
        EscrowCommand first = escrow(nodeA, Escrows.newPassword());
        EscrowCommand second = escrow(nodeA, Escrows.newPassword());
        JdbcClient jdbc = jdbc(nodeA);
        byte[] firstCiphertext = jdbc.sql("SELECT password_ct FROM key_secret JOIN recovery_key ON recovery_key.id = key_secret.key_id WHERE protector_id = :id")
                .param("id", first.recoveryPasswordId().hex()).query(byte[].class).single();
        UUID firstEpoch = jdbc.sql("SELECT epoch_id FROM key_secret JOIN recovery_key ON recovery_key.id = key_secret.key_id WHERE protector_id = :id")
                .param("id", first.recoveryPasswordId().hex()).query(UUID.class).single();
        jdbc.sql("UPDATE key_secret SET password_ct = :ct, epoch_id = :epoch WHERE key_id = (SELECT id FROM recovery_key WHERE protector_id = :id)")
                .param("ct", firstCiphertext).param("epoch", firstEpoch).param("id", second.recoveryPasswordId().hex()).update();
        jdbc.sql("UPDATE key_secret SET key_package_ct = :ct, key_package_epoch_id = :epoch WHERE key_id = (SELECT id FROM recovery_key WHERE protector_id = :id)")
                .param("ct", firstCiphertext).param("epoch", firstEpoch).param("id", first.recoveryPasswordId().hex()).update();

        RecordOpener opener = nodeA.getBean(RecordOpener.class);
        StoredKey moved = keys(nodeA).byProtectorId(second.recoveryPasswordId()).orElseThrow();
        StoredKey crossed = keys(nodeA).byProtectorId(first.recoveryPasswordId()).orElseThrow();

        assertThatThrownBy(() -> opener.open(RecordBinding.recoveryPassword(moved.protectorId(), moved.volumeId()), moved.password()))
                .isInstanceOf(RecordIntegrityException.class);
        assertThatThrownBy(() -> opener.open(RecordBinding.keyPackage(crossed.protectorId(), crossed.volumeId()), crossed.keyPackage()))
                .isInstanceOf(RecordIntegrityException.class);
        assertThat(opener.open(RecordBinding.recoveryPassword(crossed.protectorId(), crossed.volumeId()), crossed.password()))
                .hasSize(16);
    }

    @Test
    void anEpochKeyIsWrittenOnlySealedAndOpensBackToTheSameKey() {
        RecordingRandom random = new RecordingRandom();
        EpochSealer epochs = epochs(new MutableClock(Instant.parse("2026-11-23T10:00:00Z")), random, 10);
        byte[] secret = new byte[16];

        SealedRecord sealed = epochs.seal(RecordBinding.recoveryPassword(ProtectorId.parse(Escrows.newGuid()),
                VolumeId.of(UUID.randomUUID())), secret);

        byte[] epochKey = random.last();
        byte[] stored = jdbc(nodeA).sql("SELECT sealed_key FROM seal_epoch WHERE id = :id").param("id", sealed.epochId())
                .query(byte[].class).single();
        assertThat(Bytes.contains(stored, epochKey)).isFalse();
        for (var row : jdbc(nodeA).sql("SELECT * FROM seal_epoch").query().listOfRows()) {
            for (Object value : row.values()) {
                if (value instanceof byte[] bytes) {
                    assertThat(Bytes.contains(bytes, epochKey)).isFalse();
                }
            }
        }
        byte[] opened;
        try {
            opened = nodeA.getBean(Barrier.class).opened().decrypt().decrypt(stored, Keysets.ad(Bindings.epoch(sealed.epochId())));
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
        assertThat(opened).isEqualTo(epochKey);
    }

    @Test
    void anEpochEndsAfterItsAgeOrItsRowCountAndItsKeyIsDroppedFromMemory() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
        EpochSealer epochs = epochs(clock, new SecureRandom(), 3);
        RecordBinding binding = RecordBinding.recoveryPassword(ProtectorId.parse(Escrows.newGuid()), VolumeId.of(UUID.randomUUID()));

        UUID first = epochs.seal(binding, new byte[16]).epochId();
        assertThat(epochs.seal(binding, new byte[16]).epochId()).isEqualTo(first);
        assertThat(epochs.seal(binding, new byte[16]).epochId()).isEqualTo(first);
        UUID second = epochs.seal(binding, new byte[16]).epochId();
        assertThat(second).as("the fourth row starts a new epoch").isNotEqualTo(first);

        java.lang.ref.WeakReference<EpochSealer.Epoch> live = new java.lang.ref.WeakReference<>(epochs.currentEpoch());
        clock.advance(java.time.Duration.ofSeconds(59));
        epochs.expire();
        assertThat(epochs.currentEpoch()).as("still within its minute").isNotNull();
        clock.advance(java.time.Duration.ofSeconds(2));
        epochs.expire();
        assertThat(epochs.currentEpoch()).as("ended by age even without new rows").isNull();
        for (int i = 0; i < 50 && live.get() != null; i++) {
            System.gc();
        }
        assertThat(live.get()).as("nothing holds the ended epoch's key").isNull();
        assertThat(epochs.seal(binding, new byte[16]).epochId()).isNotIn(first, second);
    }

    @Test
    void aNodeWithoutRegistrationIsSealedYetEscrowsAndRefusesToReveal() {
        ConfigurableApplicationContext nodeB = another("node-b");
        Barrier ringB = nodeB.getBean(Barrier.class);
        assertThat(ringB.state().open()).isFalse();
        assertThat(ringB.state().reason()).contains("node-b").contains("lockkeeper dmk register");

        RecoveryPassword password = Escrows.newPassword();
        EscrowCommand command = escrow(nodeB, password);

        assertThatThrownBy(() -> nodeB.getBean(RevealService.class).reveal(command.recoveryPasswordId(), REASON, Actor.user("h")))
                .isInstanceOf(NodeSealedException.class).hasMessageContaining("lockkeeper dmk register");
        assertThat(nodeB.getBean(KeyVerification.class).verify(5, ADMIN).passed()).isFalse();
        assertThat(nodeA.getBean(RevealService.class).reveal(command.recoveryPasswordId(), REASON, Actor.user("h")))
                .as("what the sealed node escrowed opens on an open node").isEqualTo(password);

        try (Password dmk = dmkPassword()) {
            nodeB.getBean(KeyCeremonies.class).registerNode(dmk, ADMIN);
        }
        assertThat(ringB.state().open()).isTrue();
        assertThat(nodeB.getBean(KeyVerification.class).verify(5, ADMIN).passed()).isTrue();
    }

    @Test
    void aWrongDmkPasswordRegistersNothing() {
        ConfigurableApplicationContext nodeB = another("node-b");
        try (Password wrong = Password.copyOf("not-the-dmk-password")) {
            assertThatThrownBy(() -> nodeB.getBean(KeyCeremonies.class).registerNode(wrong, ADMIN))
                    .isInstanceOf(KeyCeremonyException.class).hasMessageContaining("wrong");
        }
        assertThat(jdbc(nodeA).sql("SELECT COUNT(*) FROM dmk_registration WHERE node_name = 'node-b'").query(Long.class).single()).isZero();
        assertThat(jdbc(nodeA).sql("SELECT COUNT(*) FROM audit_log WHERE action = 'dmk.register' AND outcome = 'refused'")
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void afterDmkRotationTheOldPasswordOpensNothingAndOtherNodesMustRegisterAgain() {
        ConfigurableApplicationContext nodeB = another("node-b");
        EscrowCommand before = escrow(nodeA, Escrows.newPassword());
        try (Password dmk = dmkPassword()) {
            nodeB.getBean(KeyCeremonies.class).registerNode(dmk, ADMIN);
        }

        List<String> mustRegister;
        try (Password fresh = Password.copyOf("a brand new DMK password")) {
            mustRegister = nodeA.getBean(KeyCeremonies.class).rotateDmk(fresh, ADMIN);
        }

        assertThat(mustRegister).containsExactly("node-b");
        nodeB.getBean(Barrier.class).forget();
        assertThat(nodeB.getBean(Barrier.class).state().open()).isFalse();
        assertThat(nodeB.getBean(Barrier.class).state().reason()).contains("rotated to version 2").contains("dmk register");
        assertThat(nodeA.getBean(KeyCeremonies.class).status().registrations())
                .anySatisfy(r -> assertThat(r).extracting("nodeName", "current").containsExactly("node-b", false))
                .anySatisfy(r -> assertThat(r).extracting("nodeName", "current").containsExactly("node-a", true));
        assertThat(jdbc(nodeA).sql("SELECT wrapped_keyset FROM dmk_registration WHERE node_name = 'node-b'")
                .query(byte[].class).single()).as("no wrapped copy of the old DMK is left behind").isEmpty();
        try (Password old = dmkPassword()) {
            assertThatThrownBy(() -> nodeB.getBean(KeyCeremonies.class).registerNode(old, ADMIN)).isInstanceOf(KeyCeremonyException.class);
            assertThatThrownBy(() -> nodeA.getBean(Barrier.class).openDmkWithPassword(old)).isInstanceOf(KeyCeremonyException.class);
        }
        try (Password fresh = Password.copyOf("a brand new DMK password")) {
            nodeB.getBean(KeyCeremonies.class).registerNode(fresh, ADMIN);
        }
        assertThat(nodeB.getBean(RevealService.class).reveal(before.recoveryPasswordId(), REASON, Actor.user("h")))
                .isEqualTo(before.recoveryPassword());
        assertThat(nodeA.getBean(KeyVerification.class).verify(5, ADMIN).passed()).isTrue();
    }

    @Test
    void aDatakeyExportWipedFromTheDatabaseAndImportedRestoresDecryption() {
        EscrowCommand command = escrow(nodeA, Escrows.newPassword());
        KeyCeremonies ceremonies = nodeA.getBean(KeyCeremonies.class);
        byte[] export;
        try (Password exportPassword = Password.copyOf("export password 1")) {
            export = ceremonies.exportDatakey(exportPassword, ADMIN);
        }
        jdbc(nodeA).sql("UPDATE datakey SET private_keyset = NULL").update();
        nodeA.getBean(Barrier.class).forget();
        assertThat(nodeA.getBean(Barrier.class).state().reason()).contains("datakey import");

        try (Password wrong = Password.copyOf("export password 2")) {
            assertThatThrownBy(() -> ceremonies.importDatakey(export, wrong, ADMIN)).isInstanceOf(KeyCeremonyException.class);
        }
        try (Password exportPassword = Password.copyOf("export password 1")) {
            ceremonies.importDatakey(export, exportPassword, ADMIN);
        }

        assertThat(nodeA.getBean(RevealService.class).reveal(command.recoveryPasswordId(), REASON, Actor.user("h")))
                .isEqualTo(command.recoveryPassword());
    }

    @Test
    void losingTheWholeDmkIsRecoveredByRecreatingItWithADatakeyExport() {
        EscrowCommand command = escrow(nodeA, Escrows.newPassword());
        KeyCeremonies ceremonies = nodeA.getBean(KeyCeremonies.class);
        byte[] export;
        try (Password exportPassword = Password.copyOf("export password 1")) {
            export = ceremonies.exportDatakey(exportPassword, ADMIN);
        }
        jdbc(nodeA).sql("DELETE FROM dmk_registration").update();
        jdbc(nodeA).sql("UPDATE datakey SET private_keyset = NULL").update();
        nodeA.getBean(Barrier.class).forget();

        try (Password fresh = Password.copyOf("a brand new DMK password"); Password exportPassword = Password.copyOf("export password 1")) {
            ceremonies.recreateDmk(fresh, export, exportPassword, ADMIN);
        }

        assertThat(nodeA.getBean(RevealService.class).reveal(command.recoveryPasswordId(), REASON, Actor.user("h")))
                .isEqualTo(command.recoveryPassword());
    }

    @Test
    void datakeyRotationResealsEveryEpochAndOldRowsStayReadable() {
        List<EscrowCommand> before = List.of(escrow(nodeA, Escrows.newPassword()), escrow(nodeA, Escrows.newPassword()));
        KeyCeremonies ceremonies = nodeA.getBean(KeyCeremonies.class);
        byte[] oldExport;
        try (Password exportPassword = Password.copyOf("export password 1")) {
            oldExport = ceremonies.exportDatakey(exportPassword, ADMIN);
        }
        long oldPrimary = ceremonies.status().datakeyPrimaryKeyId();

        long resealed = ceremonies.rotateDatakey(ADMIN, done -> { });

        long newPrimary = ceremonies.status().datakeyPrimaryKeyId();
        assertThat(newPrimary).isNotEqualTo(oldPrimary);
        assertThat(resealed).isPositive();
        assertThat(jdbc(nodeA).sql("SELECT DISTINCT datakey_key_id FROM seal_epoch").query(Long.class).list()).containsExactly(newPrimary);
        EscrowCommand after = escrow(nodeA, Escrows.newPassword());
        for (EscrowCommand command : List.of(before.get(0), before.get(1), after)) {
            assertThat(nodeA.getBean(RevealService.class).reveal(command.recoveryPasswordId(), REASON, Actor.user("h")))
                    .isEqualTo(command.recoveryPassword());
        }
        try (Password exportPassword = Password.copyOf("export password 1")) {
            assertThatThrownBy(() -> ceremonies.importDatakey(oldExport, exportPassword, ADMIN))
                    .as("an export from before the rotation lacks the version that now seals the epochs")
                    .isInstanceOf(KeyCeremonyException.class).hasMessageContaining(String.valueOf(newPrimary));
        }
    }

    @Test
    void aWrongPasswordNeverYieldsAKeyAndKdfParametersAreChecked() {
        assertThatThrownBy(() -> new KdfParams(0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        byte[] salt = PasswordKeys.newSalt(new SecureRandom());
        try (Password right = Password.copyOf("right password"); Password wrong = Password.copyOf("wrong password")) {
            KdfParams params = new KdfParams(1024, 1, 1);
            byte[] ciphertext = encrypt(PasswordKeys.derive(right, salt, params));
            assertThatThrownBy(() -> PasswordKeys.derive(wrong, salt, params).decrypt(ciphertext, new byte[0]))
                    .isInstanceOf(java.security.GeneralSecurityException.class);
        }
    }

    private static byte[] encrypt(com.google.crypto.tink.Aead aead) {
        try {
            return aead.encrypt(new byte[] {1, 2, 3}, new byte[0]);
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private EpochSealer epochs(java.time.Clock clock, SecureRandom random, int maxRows) {
        return new EpochSealer(nodeA.getBean(Barrier.class), nodeA.getBean(KeyRepository.class),
                nodeA.getBean(org.springframework.transaction.support.TransactionTemplate.class), clock, random,
                java.time.Duration.ofSeconds(60), maxRows);
    }

    private ConfigurableApplicationContext another(String nodeName) {
        ConfigurableApplicationContext context = Installations.server(dataDir, nodeName, databaseArgs);
        others.add(context);
        return context;
    }

    private Password dmkPassword() {
        try {
            return Password.copyOf(Files.readString(dataDir.resolve(FirstStart.DMK_PASSWORD_FILE)).strip());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    static EscrowCommand escrow(ConfigurableApplicationContext node, RecoveryPassword password) {
        EscrowCommand command = new EscrowCommand(ComputerName.parse("PC-" + UUID.randomUUID().toString().substring(0, 8)),
                VolumeId.of(UUID.randomUUID()), VolumeType.OPERATING_SYSTEM, DriveLabel.of("PC C: 11/23/2026"),
                ProtectorId.parse(Escrows.newGuid()), password, "key package".getBytes(), List.of("CORP\\alice"), null);
        assertThat(node.getBean(EscrowService.class).escrow(command, Actor.device("test"))).isEqualTo(EscrowOutcome.CREATED);
        return command;
    }

    private static RecoveryKeyRepository keys(ConfigurableApplicationContext node) {
        return node.getBean(RecoveryKeyRepository.class);
    }

    private static JdbcClient jdbc(ConfigurableApplicationContext node) {
        return node.getBean(JdbcClient.class);
    }

    /** A real SecureRandom that remembers the last bytes it produced, to look for them afterwards. */
    static final class RecordingRandom extends SecureRandom {
        private byte[] last;

        @Override
        public synchronized void nextBytes(byte[] bytes) {
            super.nextBytes(bytes);
            last = bytes.clone();
        }

        byte[] last() {
            return last;
        }
    }

    static final class MutableClock extends java.time.Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(java.time.Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
