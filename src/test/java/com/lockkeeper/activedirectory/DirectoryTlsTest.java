package com.lockkeeper.activedirectory;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.testing.CliRunner;
import com.lockkeeper.testing.CliRunner.Result;
import com.lockkeeper.testing.DirectoryFleet;
import com.lockkeeper.testing.Installations;
import com.lockkeeper.testing.TestCertificateAuthority;
import com.lockkeeper.testing.TestDomainController;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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

    @Test
    void aCaFileWithoutACertificateIsNamedBeforeAnyConnection() throws IOException {
        Path password = work.resolve("reader-password");
        Files.writeString(password, TestDomainController.READER_PASSWORD + "\n");
        Path notPem = work.resolve("ca.der");
        Files.write(notPem, new byte[] {0x30, (byte) 0x82, 0x01, 0x0a, 0x02});
        Installations.bootstrap(dataDir, NODE);

        Result result = importAd("ldaps://localhost:1", password, notPem, "5s");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("the CA file " + notPem + " holds no PEM certificate").doesNotContain("Connection refused");
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anLdapsPortThatNeverAnswersTheHandshakeFailsAfterTheTimeout() throws Exception {
        TestCertificateAuthority ca = TestCertificateAuthority.create(Files.createDirectory(work.resolve("ca")));
        Path password = work.resolve("reader-password");
        Files.writeString(password, TestDomainController.READER_PASSWORD + "\n");
        Installations.bootstrap(dataDir, NODE);
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            long start = System.nanoTime();

            Result result = importAd("ldaps://localhost:" + silent.getLocalPort(), password, ca.certificateFile(), "2s");

            assertThat(result.exitCode()).isNotZero();
            assertThat(result.err()).contains("cannot connect to ldaps://localhost:" + silent.getLocalPort());
            assertThat(accepted).as("the connection was made; the handshake got no answer").isNotEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));
        } finally {
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }

    private Result importAd(String url, Path password, Path caFile) {
        return importAd(url, password, caFile, "PT5S");
    }

    private Result importAd(String url, Path password, Path caFile, String timeout) {
        return new CliRunner(dataDir, NODE).run("import", "ad", "--url", url, "--base-dn", TestDomainController.BASE,
                "--bind-dn", TestDomainController.READER, "--bind-password-file", password.toString(), "--ca-file",
                caFile.toString(), "--timeout", timeout);
    }
}
