package com.lockkeeper.activedirectory;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.bitlocker.RecoveryPassword;
import com.lockkeeper.computers.RecoveryKeyRepository;
import com.lockkeeper.computers.StoredKey;
import com.lockkeeper.recovery.RevealRequest;
import com.lockkeeper.recovery.RevealService;
import com.lockkeeper.testing.CliRunner;
import com.lockkeeper.testing.CliRunner.Result;
import com.lockkeeper.testing.DirectoryFleet;
import com.lockkeeper.testing.Installations;
import com.lockkeeper.testing.TestDomainController;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * `lockkeeper import ad` at the size of a real domain: 100,000 recovery objects of 50,000 computers
 * in the domain controller stand-in, every one a key of the right computer and volume, the counts and
 * audit records a batch at a time, and a re-run that stores nothing twice and writes nothing to AD.
 */
class DirectoryImportIT {

    static final String NODE = "ad-import-node";

    @TempDir
    Path dataDir;

    @TempDir
    Path work;

    TestDomainController dc = TestDomainController.start();

    @AfterEach
    void stop() {
        dc.close();
    }

    @Test
    void importsAHundredThousandKeysOfFiftyThousandComputersThenARerunStoresNothingTwice() throws IOException {
        DirectoryFleet fleet = new DirectoryFleet(2);
        fleet.populate(dc, 0, 50_000);
        Installations.bootstrap(dataDir, NODE);

        long start = System.nanoTime();
        Result first = importAd();
        double seconds = (System.nanoTime() - start) / 1e9;

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains("100000 recovery object(s) read: 100000 stored, 0 already stored, 0 conflict(s)"
                + " refused, 0 unreadable, 0 of 0 computer(s) skipped", "domain controller dc1.corp.example.com read up to USN");
        System.out.printf("imported 100,000 recovery objects from the directory in %.1f s (%.0f keys/s)%n", seconds,
                100_000 / seconds);
        try (ConfigurableApplicationContext server = Installations.server(dataDir, NODE)) {
            JdbcClient jdbc = server.getBean(JdbcClient.class);
            assertThat(count(jdbc, "SELECT COUNT(*) FROM recovery_key")).isEqualTo(100_000);
            assertThat(count(jdbc, "SELECT COUNT(*) FROM computer")).isEqualTo(50_000);
            assertThat(count(jdbc, "SELECT COUNT(*) FROM volume")).as("C: and D: of each computer").isEqualTo(100_000);
            assertThat(count(jdbc, "SELECT COUNT(*) FROM volume WHERE volume_type = 'Unknown'")).isEqualTo(100_000);
            assertThat(count(jdbc, "SELECT COUNT(*) FROM key_secret WHERE key_package_ct IS NOT NULL"))
                    .as("every third object has a key package").isEqualTo(33_334);
            assertThat(count(jdbc, "SELECT COUNT(*) FROM audit_log WHERE action = 'escrow.import'"))
                    .as("one audit record per batch of 1,000").isEqualTo(100);
            assertThat(count(jdbc, "SELECT COUNT(*) FROM audit_log WHERE action = 'directory.import'")).isEqualTo(1);
            assertThat(jdbc.sql("SELECT domain FROM computer WHERE name = 'PC-004242'").query(String.class).single())
                    .as("the computer's dNSHostName").isEqualTo("corp.example.com");
            RecoveryKeyRepository keys = server.getBean(RecoveryKeyRepository.class);
            RevealService reveal = server.getBean(RevealService.class);
            for (int index : new int[] {0, 1, 999, 1_000, 54_321, 99_999}) {
                DirectoryFleet.Key key = fleet.key(index);
                StoredKey stored = keys.byProtectorId(key.id()).orElseThrow();
                assertThat(stored.volumeId()).as("key %d's volume", index).isEqualTo(key.volume());
                assertThat(stored.createdAt()).as("the creation time in the object's name").isEqualTo(key.created());
                assertThat(stored.keyPackage() != null).isEqualTo(key.keyPackage() != null);
                RecoveryPassword revealed = reveal.reveal(key.id(), new RevealRequest("Lost or forgotten PIN", "Call back",
                        "CORP\\alice", null), Actor.user("tester"));
                assertThat(revealed.reveal()).isEqualTo(key.password().reveal());
                assertThat(jdbc.sql("""
                                SELECT c.name FROM recovery_key k JOIN volume v ON v.id = k.volume_id
                                JOIN computer c ON c.id = v.computer_id WHERE k.protector_id = :id""")
                        .param("id", key.id().hex()).query(String.class).single()).isEqualTo(key.computer());
            }
            String everything = String.join("\n", jdbc.sql("SELECT detail FROM audit_log").query(String.class).list());
            assertThat(everything).doesNotContain(fleet.key(0).password().reveal(), fleet.key(99_999).password().reveal());
        }

        Result again = importAd();

        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("100000 recovery object(s) read: 0 stored, 100000 already stored, 0 conflict(s)");
        assertThat(dc.refusedWrites()).as("the import never writes to the directory").isZero();
    }

    private Result importAd() throws IOException {
        Path password = work.resolve("reader-password");
        Files.writeString(password, TestDomainController.READER_PASSWORD + "\n");
        return new CliRunner(dataDir, NODE).run("import", "ad", "--url", dc.url(), "--base-dn", TestDomainController.BASE,
                "--bind-dn", TestDomainController.READER, "--bind-password-file", password.toString());
    }

    private static long count(JdbcClient jdbc, String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }
}
