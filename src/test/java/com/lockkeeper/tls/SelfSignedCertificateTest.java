package com.lockkeeper.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfSignedCertificateTest {

    private static final Instant NOW = Instant.parse("2026-11-23T10:15:00Z");

    @TempDir
    Path dataDir;

    @Test
    void isMadeOnceForTheNamesAndAddressesOwnerOnlyAndKeptAfterwards() throws Exception {
        SelfSignedCertificate made = make();

        assertThat(made.created()).isTrue();
        X509Certificate certificate = made.certificate();
        certificate.verify(certificate.getPublicKey());
        certificate.checkValidity(java.util.Date.from(NOW));
        assertThat(certificate.getSubjectX500Principal().getName()).contains("CN=lk1");
        assertThat(certificate.getBasicConstraints()).as("not a CA").isEqualTo(-1);
        assertThat(certificate.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        Collection<List<?>> names = certificate.getSubjectAlternativeNames();
        assertThat(names).contains(List.of(2, "lk1"), List.of(2, "lk1.corp.example.com"), List.of(2, "localhost"),
                List.of(7, "127.0.0.1"));
        assertThat(made.hostNames()).containsExactly("lk1", "lk1.corp.example.com", "localhost");
        assertThat(certificate.getNotAfter().toInstant()).isAfter(NOW.plus(java.time.Duration.ofDays(3649)));
        for (Path file : new Path[] {made.certificateFile(), made.keyFile()}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(file.toString()).isEqualTo("rw-------");
        }
        assertThat(Files.readString(made.keyFile())).startsWith("-----BEGIN PRIVATE KEY-----\n");

        SelfSignedCertificate again = make();
        assertThat(again.created()).isFalse();
        assertThat(again.fingerprint()).isEqualTo(made.fingerprint());
    }

    @Test
    void aKeyLeftWithoutItsCertificateIsReplacedAndACertificateWithoutItsKeyIsRefused() throws Exception {
        Files.writeString(dataDir.resolve(SelfSignedCertificate.KEY_FILE), "left over");
        SelfSignedCertificate made = make();
        assertThat(made.created()).isTrue();
        assertThat(Files.readString(made.keyFile())).startsWith("-----BEGIN PRIVATE KEY-----");

        Files.delete(made.keyFile());
        assertThatThrownBy(this::make).hasMessageContaining("has no key beside it")
                .hasMessageContaining("delete the certificate file and start again");
    }

    @Test
    void theFingerprintIsWrittenAsBrowsersShowItAndAsPlainHex() {
        byte[] bytes = new byte[32];
        bytes[0] = (byte) 0xAB;
        bytes[31] = 0x0F;
        Fingerprint fingerprint = new Fingerprint(bytes);
        assertThat(fingerprint.colonSeparated()).startsWith("AB:00:").endsWith(":00:0F").hasSize(95);
        assertThat(fingerprint.hex()).startsWith("ab00").endsWith("000f").hasSize(64);
        assertThatThrownBy(() -> new Fingerprint(new byte[20])).hasMessageContaining("32 bytes");
    }

    private SelfSignedCertificate make() throws Exception {
        return SelfSignedCertificate.inDataDirectory(dataDir, List.of("lk1", "lk1.corp.example.com", "localhost"),
                List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1")), new SecureRandom(), NOW);
    }
}
