package com.lockkeeper.activedirectory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lockkeeper.computers.RecoveryKeyRepository;
import com.lockkeeper.testing.CliRunner;
import com.lockkeeper.testing.DirectoryFleet;
import com.lockkeeper.testing.Escrows;
import com.lockkeeper.testing.Installations;
import com.lockkeeper.testing.TestDatabase;
import com.lockkeeper.testing.TestDomainController;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The server's sync from Active Directory, on H2 and PostgreSQL ({@code lockkeeper.sync.ad.*}): the first run reads
 * everything, later runs only what changed (uSNChanged at or above the controller's watermark). The
 * in-memory directory does not keep uSNChanged: the fixtures set it on every object they add or
 * change, from the stand-in controller's counter, which its rootDSE reports as highestCommittedUSN.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(TestDatabase.class)
class DirectorySyncTest {

    static final String NODE = "sync-node";

    @Parameter
    TestDatabase database;

    String[] installation;

    @TempDir
    Path dataDir;

    @TempDir
    Path work;

    TestDomainController dc = TestDomainController.start();
    DirectoryFleet fleet = new DirectoryFleet(2);
    Path password;

    @BeforeEach
    void fleet() throws IOException {
        fleet.populate(dc, 0, 100);
        password = work.resolve("reader-password");
        Files.writeString(password, TestDomainController.READER_PASSWORD + "\n");
        installation = database.newInstallation();
        Installations.server(dataDir, NODE, installation).close();
    }

    @AfterEach
    void stop() {
        dc.close();
    }

    ConfigurableApplicationContext server(String node) {
        List<String> args = new ArrayList<>(List.of(installation));
        args.addAll(List.of("--lockkeeper.sync.ad.enabled=true",
                "--lockkeeper.sync.ad.url=" + dc.url(),
                "--lockkeeper.sync.ad.base-dn=" + TestDomainController.BASE,
                "--lockkeeper.sync.ad.bind-dn=" + TestDomainController.READER,
                "--lockkeeper.sync.ad.bind-password-file=" + password,
                "--lockkeeper.sync.ad.initial-delay=PT1H"));
        return Installations.server(dataDir, node, args.toArray(String[]::new));
    }

    @Test
    void theFirstRunReadsEverythingAndLaterRunsTheAddedAndChangedObjectsOnly() {
        try (ConfigurableApplicationContext server = server(NODE)) {
            DirectorySync sync = server.getBean(DirectorySync.class);
            JdbcClient jdbc = server.getBean(JdbcClient.class);

            DirectoryImport.Report first = sync.runOnce().orElseThrow();

            assertThat(first.changesOnly()).as("no watermark yet: everything").isFalse();
            assertThat(first.summary().stored()).isEqualTo(200);
            assertThat(first.nextUsn()).isEqualTo(dc.highestCommittedUsn() + 1);

            // Since then in AD: a new computer with two keys, a key package backed up for key 1 (it had none),
            // and key 4 backed up again with another password (a conflict, which must not change the stored key).
            fleet.populate(dc, 100, 101);
            DirectoryFleet.Key withPackage = fleet.key(1);
            assertThat(withPackage.keyPackage()).isNull();
            dc.modify(withPackage.dn(), new Modification(ModificationType.ADD, "msFVE-KeyPackage", new byte[] {1, 2, 3, 4}));
            dc.modify(fleet.key(4).dn(), new Modification(ModificationType.REPLACE, "msFVE-RecoveryPassword",
                    Escrows.newPassword().reveal()));

            DirectoryImport.Report second = sync.runOnce().orElseThrow();

            assertThat(second.changesFrom()).isEqualTo(first.nextUsn());
            assertThat(second.objects()).as("only the added and changed objects are read").isEqualTo(4);
            assertThat(second.summary().stored()).isEqualTo(2);
            assertThat(second.summary().alreadyStored()).isEqualTo(1);
            assertThat(second.summary().conflicts()).isEqualTo(1);
            assertThat(server.getBean(RecoveryKeyRepository.class).byProtectorId(withPackage.id()).orElseThrow().keyPackage())
                    .as("the key package backed up later is added").isNotNull();
            assertThat(jdbc.sql("SELECT COUNT(*) FROM recovery_key").query(Long.class).single()).isEqualTo(202);

            DirectoryImport.Report third = sync.runOnce().orElseThrow();

            assertThat(third.objects()).as("nothing changed since").isZero();
            List<String> runs = jdbc.sql("SELECT detail FROM audit_log WHERE action = 'directory.sync' ORDER BY at, seq")
                    .query(String.class).list();
            assertThat(runs).hasSize(3);
            assertThat(runs.get(1)).contains("4 recovery object(s) read (changes from USN " + first.nextUsn() + "): 2 stored,"
                    + " 1 already stored, 1 conflict(s) refused, 0 unreadable");
            assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'escrow.key-package'").query(Long.class).single())
                    .isEqualTo(1);
        }
        assertThat(dc.refusedWrites()).as("the sync never writes to the directory").isZero();
    }

    @Test
    void theSyncCarriesOnFromWhereTheCommandLineImportEnded() {
        org.junit.jupiter.api.Assumptions.assumeTrue(database == TestDatabase.H2, "the command line's database options are"
                + " tested elsewhere; here the sync's");
        CliRunner.Result imported = new CliRunner(dataDir, NODE).run("import", "ad", "--url", dc.url(), "--base-dn",
                TestDomainController.BASE, "--bind-dn", TestDomainController.READER, "--bind-password-file", password.toString());
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        fleet.populate(dc, 100, 101);

        try (ConfigurableApplicationContext server = server(NODE)) {
            DirectoryImport.Report report = server.getBean(DirectorySync.class).runOnce().orElseThrow();

            assertThat(report.changesOnly()).isTrue();
            assertThat(report.objects()).isEqualTo(2);
            assertThat(report.summary().stored()).isEqualTo(2);
        }
    }

    @Test
    void oneNodeAtATimeRunsTheSync() {
        try (ConfigurableApplicationContext server = server(NODE)) {
            DirectorySyncRepository repository = server.getBean(DirectorySyncRepository.class);
            Instant now = Instant.now();
            assertThat(repository.tryLease(DirectorySyncRepository.SYNC_JOB, "node-b/server", now, now.plusSeconds(600))).isTrue();

            assertThat(server.getBean(DirectorySync.class).runOnce()).as("node-b holds the lease").isEmpty();

            repository.releaseLease(DirectorySyncRepository.SYNC_JOB, "node-b/server");
            assertThat(server.getBean(DirectorySync.class).runOnce()).isPresent();
            assertThat(repository.tryLease(DirectorySyncRepository.SYNC_JOB, "node-b/server", now, now.plusSeconds(600)))
                    .as("the lease is given up after the run").isTrue();
            assertThat(repository.tryLease(DirectorySyncRepository.SYNC_JOB, "node-c/server", now.plusSeconds(601),
                    now.plusSeconds(1200))).as("an expired lease goes to the next node").isTrue();
        }
    }

    @Test
    void aRunThatCannotReachTheDirectoryIsAuditedAndKeepsTheWatermark() {
        try (ConfigurableApplicationContext server = server(NODE)) {
            DirectorySync sync = server.getBean(DirectorySync.class);
            long watermark = sync.runOnce().orElseThrow().nextUsn();
            String url = dc.url();
            dc.close();

            assertThatThrownBy(sync::runOnce).isInstanceOf(DirectoryException.class).hasMessageContaining("cannot connect");

            JdbcClient jdbc = server.getBean(JdbcClient.class);
            assertThat(jdbc.sql("SELECT next_usn FROM directory_watermark").query(Long.class).single()).isEqualTo(watermark);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM job_lease WHERE holder IS NOT NULL").query(Long.class).single())
                    .as("the lease is given up").isZero();
            assertThat(jdbc.sql("SELECT detail FROM audit_log WHERE action = 'directory.sync' AND outcome = 'failure'")
                    .query(String.class).single()).contains("cannot connect to " + url);
        }
    }
}
