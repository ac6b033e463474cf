package com.lockkeeper.activedirectory;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.bitlocker.Guids;
import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.RecoveryPassword;
import com.lockkeeper.computers.RecoveryKeyRepository;
import com.lockkeeper.computers.StoredKey;
import com.lockkeeper.recovery.RevealRequest;
import com.lockkeeper.recovery.RevealService;
import com.lockkeeper.testing.CliRunner;
import com.lockkeeper.testing.CliRunner.Result;
import com.lockkeeper.testing.DirectoryFleet;
import com.lockkeeper.testing.Escrows;
import com.lockkeeper.testing.Installations;
import com.lockkeeper.testing.TestDomainController;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * `lockkeeper import ad` against a domain controller stand-in (UnboundID's in-memory directory with
 * AD's BitLocker schema): every recovery object under the base DN becomes a key of the right computer
 * and volume, sealed and revealable, with the type Unknown; a re-run stores nothing twice; conflicts,
 * unreadable objects and computers that cannot be named are reported and audited; AD is never written.
 */
class DirectoryImportTest {

    static final String NODE = "ad-import-node";

    // The import of 100,000 recovery objects of 50,000 computers is DirectoryImportIT (filling the
    // in-memory directory alone takes about a minute with the unit tests' C1-only JVM).

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
    void aKnownGuidIsReadInMicrosoftsByteOrder() throws IOException {
        dc.add(List.of(DirectoryFleet.computer(7, dc.nextUsn())));
        String name = "2026-11-20T10:15:00-08:00{4D3C2B1A-8F7E-4A6B-9C0D-112233445566}";
        RecoveryPassword password = Escrows.newPassword();
        dc.add(List.of(new Entry("CN=" + name + "," + DirectoryFleet.computerDn(7),
                new Attribute("objectClass", "top", "msFVE-RecoveryInformation"), new Attribute("cn", name),
                new Attribute("msFVE-RecoveryPassword", password.reveal()),
                // {4D3C2B1A-8F7E-4A6B-9C0D-112233445566}: Data1, Data2, Data3 little-endian, Data4 as written
                new Attribute("msFVE-RecoveryGuid", HexFormat.of().parseHex("1a2b3c4d7e8f6b4a9c0d112233445566")),
                new Attribute("msFVE-VolumeGuid", HexFormat.of().parseHex("4c4e0f5f1f3c7a4b9d550a2d7c1c9e11")),
                new Attribute("uSNChanged", Long.toString(dc.nextUsn())))));
        Installations.bootstrap(dataDir, NODE);

        Result result = importAd();

        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        try (ConfigurableApplicationContext server = Installations.server(dataDir, NODE)) {
            StoredKey stored = server.getBean(RecoveryKeyRepository.class)
                    .byProtectorId(ProtectorId.parse("{4D3C2B1A-8F7E-4A6B-9C0D-112233445566}")).orElseThrow();
            assertThat(stored.volumeId()).hasToString("5f0f4e4c-3c1f-4b7a-9d55-0a2d7c1c9e11");
            assertThat(stored.createdAt()).hasToString("2026-11-20T18:15:00Z");
            assertThat(Guids.toMicrosoftBytes(stored.volumeId().uuid()))
                    .isEqualTo(HexFormat.of().parseHex("4c4e0f5f1f3c7a4b9d550a2d7c1c9e11"));
        }
    }

    @Test
    void conflictsUnreadableObjectsAndUnnamedComputersAreReportedWithTheirReasonsAndTheRestIsImported() throws IOException {
        DirectoryFleet fleet = new DirectoryFleet(2);
        fleet.populate(dc, 0, 20);
        Installations.bootstrap(dataDir, NODE);
        assertThat(importAd().exitCode()).isZero();
        // In AD now: key 3 has another password under the same ID (a conflict), key 5 a password whose
        // checksum fails, a new object without msFVE-VolumeGuid, and a computer whose name is not one.
        DirectoryFleet.Key changed = fleet.key(3);
        dc.modify(changed.dn(), new Modification(ModificationType.REPLACE, "msFVE-RecoveryPassword",
                Escrows.newPassword().reveal()));
        String broken = fleet.key(5).password().reveal();
        dc.modify(fleet.key(5).dn(), new Modification(ModificationType.REPLACE, "msFVE-RecoveryPassword",
                broken.substring(0, broken.length() - 1) + (broken.endsWith("0") ? "1" : "0")));
        DirectoryFleet.Key fresh = new DirectoryFleet(2).key(1_000);
        Entry withoutVolume = fleet.entry(fresh, dc.nextUsn());
        withoutVolume.removeAttribute("msFVE-VolumeGuid");
        dc.add(List.of(new Entry("CN=" + fresh.name() + "," + DirectoryFleet.computerDn(0), withoutVolume.getAttributes())));
        String oddComputer = "CN=Lab Printer (old)," + TestDomainController.COMPUTERS;
        dc.add(List.of(new Entry(oddComputer, new Attribute("objectClass", "top", "computer"),
                new Attribute("cn", "Lab Printer (old)"), new Attribute("distinguishedName", oddComputer))));
        DirectoryFleet.Key orphan = new DirectoryFleet(2).key(2_000);
        dc.add(List.of(new Entry("CN=" + orphan.name() + "," + oddComputer, fleet.entry(orphan, dc.nextUsn()).getAttributes())));

        Result result = importAd();

        assertThat(result.exitCode()).as(result.err()).isEqualTo(3);
        assertThat(result.out()).contains("42 recovery object(s) read: 0 stored, 38 already stored, 1 conflict(s) refused,"
                + " 2 unreadable, 1 of 1 computer(s) skipped");
        assertThat(result.out()).contains(fleet.key(5).dn() + ": msFVE-RecoveryPassword is not a valid recovery password"
                + " (block 8: ", "no msFVE-VolumeGuid: the key cannot be attached to its volume",
                "cn=lab printer (old),ou=workstations,dc=corp,dc=example,dc=com: not a computer name",
                "conflicting keys were not changed");
        assertThat(result.out() + result.err()).doesNotContain(broken.substring(0, 20));
        try (ConfigurableApplicationContext server = Installations.server(dataDir, NODE)) {
            JdbcClient jdbc = server.getBean(JdbcClient.class);
            assertThat(jdbc.sql("SELECT detail FROM audit_log WHERE action = 'escrow' AND outcome = 'refused'")
                    .query(String.class).single()).contains("conflict in import of directory dc1.corp.example.com",
                    changed.dn());
            RecoveryPassword kept = server.getBean(RevealService.class).reveal(changed.id(),
                    new RevealRequest("Lost or forgotten PIN", "Call back", "CORP\\alice", null), Actor.user("tester"));
            assertThat(kept.reveal()).as("the stored key is not changed").isEqualTo(changed.password().reveal());
        }
    }

    @Test
    void aRunInterruptedHalfwayKeepsWhatItStoredAndTheNextRunImportsTheRestOnce() throws IOException {
        new DirectoryFleet(2).populate(dc, 0, 2_500);
        Installations.bootstrap(dataDir, NODE);
        dc.failAfterPages(3);

        Result interrupted = importAd();
        Result resumed = importAd();

        assertThat(interrupted.exitCode()).isEqualTo(1);
        assertThat(interrupted.err()).contains("the directory answered 52 (unavailable)",
                "what was stored before stays, and a re-run stores nothing twice");
        assertThat(interrupted.out()).doesNotContain("read up to USN");
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("5000 recovery object(s) read: 2000 stored, 3000 already stored, 0 conflict(s)");
        try (ConfigurableApplicationContext server = Installations.server(dataDir, NODE)) {
            JdbcClient jdbc = server.getBean(JdbcClient.class);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM recovery_key").query(Long.class).single()).isEqualTo(5_000);
            assertThat(jdbc.sql("SELECT detail FROM audit_log WHERE action = 'directory.import' AND outcome = 'failure'")
                    .query(String.class).single()).contains("stopped after 3000 recovery object(s) read");
        }
    }

    @Test
    void anAccountWithoutReadOnTheConfidentialAttributesGetsNoKeyAndIsToldWhy() throws IOException {
        new DirectoryFleet(2).populate(dc, 0, 3);
        Installations.bootstrap(dataDir, NODE);
        Path password = work.resolve("plain-password");
        Files.writeString(password, TestDomainController.READER_PASSWORD + "\n");

        Result result = new CliRunner(dataDir, NODE).run("import", "ad", "--url", dc.url(), "--base-dn",
                TestDomainController.BASE, "--bind-dn", TestDomainController.PLAIN_USER, "--bind-password-file",
                password.toString());

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.out()).contains("6 recovery object(s) read: 0 stored", "6 unreadable",
                "no msFVE-RecoveryPassword (the reading account may lack the right to read this confidential attribute");
    }

    @Test
    void aWrongPasswordOrAnUnreachableDirectoryStopsWithWhatToCheck() throws IOException {
        Installations.bootstrap(dataDir, NODE);
        Path wrong = work.resolve("wrong");
        Files.writeString(wrong, "not the password\n");

        Result refused = new CliRunner(dataDir, NODE).run("import", "ad", "--url", dc.url(), "--base-dn",
                TestDomainController.BASE, "--bind-dn", TestDomainController.READER, "--bind-password-file", wrong.toString());
        String url = dc.url();
        dc.close();
        Result down = importAd(url);

        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.err()).contains("refused the bind as " + TestDomainController.READER, "invalid credentials")
                .doesNotContain("not the password");
        assertThat(down.exitCode()).isNotZero();
        assertThat(down.err()).contains("cannot connect to " + url);
    }

    private Result importAd() throws IOException {
        return importAd(dc.url());
    }

    private Result importAd(String url, String... extra) throws IOException {
        Path password = work.resolve("reader-password");
        Files.writeString(password, TestDomainController.READER_PASSWORD + "\n");
        List<String> args = new ArrayList<>(List.of("import", "ad", "--url", url, "--base-dn", TestDomainController.BASE,
                "--bind-dn", TestDomainController.READER, "--bind-password-file", password.toString()));
        args.addAll(List.of(extra));
        return new CliRunner(dataDir, NODE).run(args.toArray(String[]::new));
    }

    private static long count(JdbcClient jdbc, String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }
}
