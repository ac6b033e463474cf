package com.lockkeeper.streaming;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** TLS that trusts the certificates of a PEM file only (a SIEM's own CA), or the JVM's trust store without one. */
final class TrustedCa {

    private TrustedCa() {
    }

    static SSLContext context(Path caFile, String property) {
        try {
            if (caFile == null) {
                return SSLContext.getDefault();
            }
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            try (InputStream in = Files.newInputStream(caFile)) {
                int n = 0;
                for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    trusted.setCertificateEntry("ca-" + n++, certificate);
                }
                if (n == 0) {
                    throw new IllegalArgumentException(property + " " + caFile + " holds no PEM certificate");
                }
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + property + " " + caFile, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(property + " " + caFile + " is not a usable CA certificate: " + e.getMessage(), e);
        }
    }
}
