package com.lockkeeper.activedirectory;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.testing.CliRunner;
import com.lockkeeper.testing.CliRunner.Result;
import com.lockkeeper.testing.DirectoryFleet;
import com.lockkeeper.testing.Installations;
import com.lockkeeper.testing.TestCertificateAuthority;
import com.lockkeeper.testing.TestDomainController;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The import over ldaps://: the domain controller's certificate must chain to the CA file given
 * (--ca-file, lockkeeper.sync.ad.ca-file) and name the host of the URL; otherwise nothing is read.
 */
class DirectoryTlsTest {

    static final String NODE = "tls-node";

    @TempDir
    Path dataDir;

    @TempDir
    Path work;

    @Test
    void readsOverLdapsWithTheCaFileAndRefusesAnUntrustedOrMisnamedController() throws IOException {
        TestCertificateAuthority ca = TestCertificateAuthority.create(Files.createDirectory(work.resolve("ca")));
        TestCertificateAuthority otherCa = TestCertificateAuthority.create(Files.createDirectory(work.resolve("other-ca")));
        Path password = work.resolve("reader-password");
        Files.writeString(password, TestDomainController.READER_PASSWORD + "\n");
        Installations.bootstrap(dataDir, NODE);
        try (TestDomainController dc = TestDomainController.start(ca.serverSockets("dc1", "dns:localhost"));
                TestDomainController misnamedDc = TestDomainController.start(ca.serverSockets("dc2", "dns:dc2.corp.example.com"))) {
            new DirectoryFleet(2).populate(dc, 0, 10);
            new DirectoryFleet(2).populate(misnamedDc, 10, 20);
            String ldaps = "ldaps://localhost:" + dc.port();

            Result trusted = importAd(ldaps, password, ca.certificateFile());
            Result untrusted = importAd(ldaps, password, otherCa.certificateFile());
            Result misnamed = importAd("ldaps://localhost:" + misnamedDc.port(), password, ca.certificateFile());

            assertThat(trusted.exitCode()).as(trusted.err()).isZero();
            assertThat(trusted.out()).contains("20 recovery object(s) read: 20 stored");
            assertThat(untrusted.exitCode()).isNotZero();
            assertThat(untrusted.err()).contains("cannot connect to " + ldaps, "the CA file");
            assertThat(misnamed.exitCode()).as("the certificate names dc2.corp.example.com, not localhost").isNotZero();
            assertThat(misnamed.err()).contains("cannot connect to ldaps://localhost:" + misnamedDc.port());
        }
    }

    private Result importAd(String url, Path password, Path caFile) {
        return new CliRunner(dataDir, NODE).run("import", "ad", "--url", url, "--base-dn", TestDomainController.BASE,
                "--bind-dn", TestDomainController.READER, "--bind-password-file", password.toString(), "--ca-file",
                caFile.toString(), "--timeout", "PT5S");
    }
}
