package com.lockkeeper.activedirectory;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.computers.RecoveryKeyRepository;
import com.lockkeeper.computers.StoredKey;
import com.lockkeeper.recovery.RevealRequest;
import com.lockkeeper.recovery.RevealService;
import com.lockkeeper.testing.CliRunner;
import com.lockkeeper.testing.CliRunner.Result;
import com.lockkeeper.testing.DirectoryFleet;
import com.lockkeeper.testing.Installations;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldif.LDIFAddChangeRecord;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * `lockkeeper import ldif FILE` on an ldifde export: add records, binary GUIDs and key packages in
 * base64 after {@code ::}, folded lines; computers named by their dNSHostName when the export holds
 * the computer objects, else by their name in the DN.
 */
class LdifImportTest {

    static final String NODE = "ldif-node";

    @TempDir
    Path dataDir;

    @TempDir
    Path work;

    @Test
    void importsAnLdifdeExportWithAndWithoutTheComputerObjects() throws IOException {
        DirectoryFleet fleet = new DirectoryFleet(3);
        Path file = work.resolve("keys.ldf");
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            for (int computer = 0; computer < 300; computer++) {
                if (computer < 200) { // the last hundred computers are not in the export
                    write(out, DirectoryFleet.computer(computer, 100 + computer));
                }
                for (int k = 0; k < 3; k++) {
                    write(out, fleet.entry(fleet.key(computer * 3 + k), 1_000 + computer));
                }
            }
        }
        assertThat(Files.readString(file)).contains("changetype: add", "msFVE-RecoveryGuid:: ", "msFVE-KeyPackage:: ");
        Installations.bootstrap(dataDir, NODE);

        Result result = new CliRunner(dataDir, NODE).run("import", "ldif", file.toString());
        Result again = new CliRunner(dataDir, NODE).run("import", "ldif", file.toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("imported from LDIF file keys.ldf: 900 recovery object(s) read: 900 stored, 0 already"
                + " stored, 0 conflict(s) refused, 0 unreadable");
        assertThat(again.out()).contains("900 recovery object(s) read: 0 stored, 900 already stored");
        try (ConfigurableApplicationContext server = Installations.server(dataDir, NODE)) {
            JdbcClient jdbc = server.getBean(JdbcClient.class);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM computer WHERE domain = 'corp.example.com'").query(Long.class).single())
                    .as("computers whose object is in the export, by dNSHostName").isEqualTo(200);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM computer WHERE domain IS NULL AND name LIKE 'PC-%'")
                    .query(Long.class).single()).as("the others, by their name in the DN").isEqualTo(100);
            for (int index : new int[] {0, 599, 600, 899}) {
                DirectoryFleet.Key key = fleet.key(index);
                StoredKey stored = server.getBean(RecoveryKeyRepository.class).byProtectorId(key.id()).orElseThrow();
                assertThat(stored.volumeId()).isEqualTo(key.volume());
                assertThat(stored.createdAt()).isEqualTo(key.created());
                assertThat(server.getBean(RevealService.class).reveal(key.id(), new RevealRequest("Lost or forgotten PIN",
                        "Call back", "CORP\\alice", null), Actor.user("tester")).reveal()).isEqualTo(key.password().reveal());
                assertThat(jdbc.sql("""
                                SELECT c.name FROM recovery_key k JOIN volume v ON v.id = k.volume_id
                                JOIN computer c ON c.id = v.computer_id WHERE k.protector_id = :id""")
                        .param("id", key.id().hex()).query(String.class).single()).isEqualTo(key.computer());
            }
            assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'directory.import'").query(Long.class).single())
                    .isEqualTo(2);
        }
    }

    @Test
    void aFileThatIsNotLdifIsRefusedAndNothingIsImported() throws IOException {
        Path file = work.resolve("keys.ldf");
        Files.writeString(file, "this is not LDIF\n\nneither is this: {\n");
        Installations.bootstrap(dataDir, NODE);

        Result result = new CliRunner(dataDir, NODE).run("import", "ldif", file.toString());

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("is not an LDIF file that can be read", "nothing was imported");
    }

    private static void write(BufferedWriter out, Entry entry) throws IOException {
        out.write(new LDIFAddChangeRecord(entry).toLDIFString(78));
        out.write("\n");
    }
}
