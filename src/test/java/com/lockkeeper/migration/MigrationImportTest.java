package com.lockkeeper.migration;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.bitlocker.ComputerName;
import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.RecoveryPassword;
import com.lockkeeper.bitlocker.VolumeId;
import com.lockkeeper.bitlocker.VolumeType;
import com.lockkeeper.computers.KeysAwaitingVolume;
import com.lockkeeper.computers.RecoveryKeyRepository;
import com.lockkeeper.computers.StoredKey;
import com.lockkeeper.escrow.EscrowCommand;
import com.lockkeeper.escrow.EscrowOutcome;
import com.lockkeeper.escrow.EscrowService;
import com.lockkeeper.lifecycle.CheckinReport;
import com.lockkeeper.lifecycle.CheckinService;
import com.lockkeeper.recovery.RevealRequest;
import com.lockkeeper.recovery.RevealService;
import com.lockkeeper.testing.CliRunner;
import com.lockkeeper.testing.CliRunner.Result;
import com.lockkeeper.testing.Installations;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/** `lockkeeper import mbam` and `import entra`, from files shaped as sqlcmd, Export-Csv and the Entra export script write them. */
class MigrationImportTest {

    static final String NODE = "migration-node";
    static final RevealRequest REQUEST = new RevealRequest("Lost or forgotten PIN", "Call back", "CORP\\alice", null);

    @TempDir
    Path dataDir;

    @TempDir
    Path work;

    @Test
    void theMbamExportAsSqlcmdAndBothExportCsvEncodingsWriteItImportsTheSameKeys() throws IOException {
        Installations.bootstrap(dataDir, NODE);
        CliRunner cli = new CliRunner(dataDir, NODE);

        Result sqlcmd = cli.run("import", "mbam", fixture("mbam-sqlcmd.csv").toString());
        Result utf8 = cli.run("import", "mbam", fixture("mbam-export-csv-utf8.csv").toString());
        Result unicode = cli.run("import", "mbam", fixture("mbam-export-csv-unicode.csv").toString());

        assertThat(sqlcmd.exitCode()).as(sqlcmd.err()).isZero();
        assertThat(sqlcmd.out()).contains("imported 3 key(s)", "3 stored, 0 already stored, 0 conflict(s)");
        assertThat(utf8.exitCode()).as(utf8.err()).isZero();
        assertThat(utf8.out()).as("the same keys, read the same way").contains("0 stored, 3 already stored, 0 conflict(s)");
        assertThat(unicode.exitCode()).as(unicode.err()).isZero();
        assertThat(unicode.out()).as("UTF-16 with BOM, with the DataRow columns Invoke-Sqlcmd adds").contains("0 stored, 3 already stored, 0 conflict(s)");
        try (ConfigurableApplicationContext server = Installations.server(dataDir, NODE)) {
            RevealService reveal = server.getBean(RevealService.class);
            for (String line : Files.readAllLines(fixture("mbam-passwords.txt"))) {
                String[] idAndPassword = line.split(" ");
                ProtectorId id = ProtectorId.parse(idAndPassword[0]);
                assertThat(reveal.reveal(id, REQUEST, Actor.user("tester")).reveal()).isEqualTo(idAndPassword[1]);
            }
            ProtectorId withPackage = ProtectorId.parse("4D3C2B1A-8F7E-4A6B-9C0D-112233445566");
            byte[] expected = new byte[64];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = (byte) i;
            }
            assertThat(reveal.revealKeyPackage(withPackage, REQUEST, Actor.user("tester"))).isEqualTo(expected);
            StoredKey key = server.getBean(RecoveryKeyRepository.class).byProtectorId(withPackage).orElseThrow();
            assertThat(key.volumeId()).isEqualTo(VolumeId.parse("5F0F4E4C-3C1F-4B7A-9D55-0A2D7C1C9E11"));
            assertThat(key.createdAt()).hasToString("2019-03-14T09:12:33.437Z");
            JdbcClient jdbc = server.getBean(JdbcClient.class);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'escrow.import' AND target LIKE 'MBAM export %'")
                    .query(Long.class).single()).isEqualTo(3);
        }
    }

    @Test
    void anMbamExportWithBadRowsIsRefusedWholeNamingTheRowsAndFields() throws IOException {
        Installations.bootstrap(dataDir, NODE);
        String badPassword = Files.readString(fixture("mbam-bad-password.txt")).strip();

        Result result = new CliRunner(dataDir, NODE).run("import", "mbam", fixture("mbam-bad.csv").toString());

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("2 row(s) that cannot be imported; nothing was imported",
                "row 2 (line 3): RecoveryKey block 8", "row 3 (line 4): ComputerName is empty", "VolumeGuid:", "LastUpdateTime:");
        assertThat(result.err()).doesNotContain(badPassword).doesNotContain("row 1 ");
        try (ConfigurableApplicationContext server = Installations.server(dataDir, NODE)) {
            assertThat(server.getBean(RecoveryKeyRepository.class).count()).isZero();
        }
    }

    @Test
    void aFileInNeitherEncodingIsRefusedWithHowToWriteItAgainWithTheToolThatMadeIt() throws IOException {
        Installations.bootstrap(dataDir, NODE);
        CliRunner cli = new CliRunner(dataDir, NODE);
        Path latin1 = work.resolve("keys-latin1.txt");
        Files.write(latin1, "ComputerName,VolumeGuid,RecoveryKeyId,RecoveryKey\nM\u00dcNCHEN-01\n".getBytes(StandardCharsets.ISO_8859_1));

        Result mbam = cli.run("import", "mbam", latin1.toString());
        Result entra = cli.run("import", "entra", latin1.toString());

        assertThat(mbam.exitCode()).isNotZero();
        assertThat(mbam.err()).contains("keys-latin1.txt is neither UTF-8 nor UTF-16 with a byte order mark", "sqlcmd -f 65001");
        assertThat(entra.exitCode()).isNotZero();
        assertThat(entra.err()).contains("keys-latin1.txt is neither UTF-8 nor UTF-16 with a byte order mark",
                "Export-EntraRecoveryKeys.ps1").doesNotContain("sqlcmd");
        try (ConfigurableApplicationContext server = Installations.server(dataDir, NODE)) {
            assertThat(server.getBean(RecoveryKeyRepository.class).count()).isZero();
        }
    }

    @Test
    void entraKeysWaitWithoutAVolumeAndAreAttachedAtTheirDevicesFirstCheckinThatReportsThem() throws IOException {
        Installations.bootstrap(dataDir, NODE);
        CliRunner cli = new CliRunner(dataDir, NODE);
        Path file = fixture("entra-keys.json");
        String json = Files.readString(file);

        Result imported = cli.run("import", "entra", file.toString());

        assertThat(imported.exitCode()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("3 stored", "3 device volume(s) wait for their device's first check-in");
        ProtectorId osKey = ProtectorId.parse("C3D4E5F6-A7B8-4C9D-8E0F-1A2B3C4D5E6F");
        ProtectorId dataKey = ProtectorId.parse("D4E5F6A7-B8C9-4DAE-9F01-2B3C4D5E6F70");
        VolumeId placeholder = KeysAwaitingVolume.placeholder("entra", "1b2c3d4e-5f60-4718-9a2b-3c4d5e6f7081", "OperatingSystem");
        VolumeId realVolume = VolumeId.parse("{0A1B2C3D-4E5F-4061-8273-94A5B6C7D8E9}");
        String osPassword = password(json, 0);
        try (ConfigurableApplicationContext server = Installations.server(dataDir, NODE)) {
            RecoveryKeyRepository keys = server.getBean(RecoveryKeyRepository.class);
            assertThat(keys.byProtectorId(osKey).orElseThrow().volumeId()).isEqualTo(placeholder);
            CheckinService checkins = server.getBean(CheckinService.class);

            checkins.checkin(report("DESKTOP-ENTRA2", VolumeId.parse("{1B2C3D4E-5F60-4172-8384-A5B6C7D8E9F0}"), dataKey),
                    Actor.user("device"));
            assertThat(keys.byProtectorId(dataKey).orElseThrow().volumeId()).as("never moved to another computer")
                    .isNotEqualTo(VolumeId.parse("{1B2C3D4E-5F60-4172-8384-A5B6C7D8E9F0}"));

            checkins.checkin(report("LAPTOP-ENTRA1", realVolume, osKey), Actor.user("device"));

            StoredKey attached = keys.byProtectorId(osKey).orElseThrow();
            assertThat(attached.volumeId()).isEqualTo(realVolume);
            assertThat(attached.sealedTo()).as("still sealed to the placeholder").isEqualTo(placeholder);
            assertThat(server.getBean(RevealService.class).reveal(osKey, REQUEST, Actor.user("tester")).reveal())
                    .isEqualTo(osPassword);
            EscrowOutcome again = server.getBean(EscrowService.class).escrow(new EscrowCommand(ComputerName.parse("LAPTOP-ENTRA1"),
                    realVolume, VolumeType.OPERATING_SYSTEM, null, osKey, RecoveryPassword.parse(osPassword), null, List.of(), null),
                    Actor.user("device"));
            assertThat(again).as("the device's escrow of the same password").isEqualTo(EscrowOutcome.ALREADY_STORED);
            JdbcClient jdbc = server.getBean(JdbcClient.class);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'key.attach' AND target LIKE :t")
                    .param("t", "key " + osKey + "%").query(Long.class).single()).isEqualTo(1);
        }
        Result repeated = cli.run("import", "entra", file.toString());
        assertThat(repeated.out()).as("an attached key is the same key").contains("0 stored, 3 already stored, 0 conflict(s)");
    }

    private static CheckinReport report(String computer, VolumeId volume, ProtectorId protector) {
        return new CheckinReport(ComputerName.parse(computer), List.of(new CheckinReport.Volume(volume, VolumeType.OPERATING_SYSTEM,
                null, "On", "XtsAes256", List.of("Tpm", "RecoveryPassword"), List.of(protector))));
    }

    /** The n-th "key" of the Entra fixture. */
    private static String password(String json, int n) {
        int at = -1;
        for (int i = 0; i <= n; i++) {
            at = json.indexOf("\"key\": \"", at + 1);
        }
        int start = at + "\"key\": \"".length();
        return json.substring(start, json.indexOf('"', start));
    }

    private Path fixture(String name) throws IOException {
        Path file = work.resolve(name);
        try (InputStream in = MigrationImportTest.class.getResourceAsStream("/migration/" + name)) {
            Files.copy(in, file);
        }
        return file;
    }

}
