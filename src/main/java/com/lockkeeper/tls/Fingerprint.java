package com.lockkeeper.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/** The SHA-256 fingerprint of a certificate (over its DER encoding), as clients pin it. */
public record Fingerprint(byte[] sha256) {

    public Fingerprint {
        if (sha256.length != 32) {
            throw new IllegalArgumentException("a SHA-256 fingerprint has 32 bytes, not " + sha256.length);
        }
        sha256 = sha256.clone();
    }

    public static Fingerprint of(X509Certificate certificate) {
        try {
            return new Fingerprint(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot compute the certificate's SHA-256 fingerprint", e);
        }
    }

    @Override
    public byte[] sha256() {
        return sha256.clone();
    }

    /** {@code AB:CD:…}: as browsers and {@code openssl x509 -fingerprint -sha256} show it. */
    public String colonSeparated() {
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(sha256);
    }

    /** Lower-case hex without separators: 64 characters. */
    public String hex() {
        return HexFormat.of().formatHex(sha256);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Fingerprint that && java.util.Arrays.equals(sha256, that.sha256);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(sha256);
    }

    @Override
    public String toString() {
        return colonSeparated();
    }
}
