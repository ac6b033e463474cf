package com.lockkeeper.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lockkeeper.testing.TestCertificateAuthority;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A CA file is read when the trust is made: its certificates are trusted, a wrong file is named with what is wrong. */
class CaFilesTest {

    @TempDir
    Path work;

    @Test
    void trustsTheCertificatesOfAPemFile() throws Exception {
        TestCertificateAuthority ca = TestCertificateAuthority.create(Files.createDirectory(work.resolve("ca")));
        X509Certificate caCertificate;
        try (InputStream in = Files.newInputStream(ca.certificateFile())) {
            caCertificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }

        X509TrustManager trust = CaFiles.trustManager(ca.certificateFile(), "the CA file");

        assertThat(trust.getAcceptedIssuers()).containsExactly(caCertificate);
    }

    @Test
    void namesAFileThatIsMissingNotPemOrDamaged() throws IOException {
        Path missing = work.resolve("missing.pem");
        Path der = Files.write(work.resolve("ca.der"), new byte[] {0x30, (byte) 0x82, 0x01, 0x0a});
        Path damaged = Files.writeString(work.resolve("damaged.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");

        assertThatThrownBy(() -> CaFiles.trustManager(missing, "--ca-file")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot read --ca-file " + missing + " (no such file or directory): give a PEM file of the CA certificate(s)");
        assertThatThrownBy(() -> CaFiles.trustManager(der, "--ca-file")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--ca-file " + der + " holds no PEM certificate");
        assertThatThrownBy(() -> CaFiles.trustManager(damaged, "--ca-file")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--ca-file " + damaged + " is not a usable CA certificate");
    }
}
