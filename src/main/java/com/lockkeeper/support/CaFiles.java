package com.lockkeeper.support;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Trust in the CA certificates of one PEM file only (an organisation's own CA for its domain
 * controllers or its SIEM). The file is read when the trust is made, so a wrong file is named
 * before any connection, not reported later as a failed handshake.
 */
public final class CaFiles {

    private CaFiles() {
    }

    /**
     * A trust manager for the certificates in {@code caFile}; {@code what} names the file in errors
     * (an option or a setting).
     *
     * @throws IllegalArgumentException when the file cannot be read or holds no PEM certificate
     */
    public static X509TrustManager trustManager(Path caFile, String what) {
        try {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int n = 0;
            for (Certificate certificate : certificates(caFile, what)) {
                trusted.setCertificateEntry("ca-" + n++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("this JVM has no X.509 trust manager");
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(what + " " + caFile + " is not a usable CA certificate: " + e.getClass().getSimpleName(), e);
        }
    }

    private static Collection<? extends Certificate> certificates(Path caFile, String what) throws GeneralSecurityException {
        byte[] pem;
        try {
            pem = Files.readAllBytes(caFile);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + what + " " + caFile + " (" + IoProblems.describe(e)
                    + "): give a PEM file of the CA certificate(s)", e);
        }
        if (!new String(pem, StandardCharsets.US_ASCII).contains("-----BEGIN CERTIFICATE-----")) {
            throw new IllegalArgumentException(what + " " + caFile + " holds no PEM certificate (-----BEGIN CERTIFICATE-----):"
                    + " give the CA certificate(s) in PEM");
        }
        return CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
    }
}
