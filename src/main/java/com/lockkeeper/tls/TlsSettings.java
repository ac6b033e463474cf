package com.lockkeeper.tls;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code lockkeeper.tls.*}: HTTPS in the server itself. Either a certificate chain and its key
 * from PEM files (renewed files are picked up without a restart), or a self-signed certificate
 * made once for a test installation; optionally client certificates checked against a CA.
 *
 * @param certificate PEM file with the server's certificate chain, leaf first
 *        ({@code serve --tls-certificate})
 * @param key PEM file with that certificate's private key ({@code serve --tls-key-file}); a file,
 *        never the key itself
 * @param clientCa PEM file with the CA certificates that client certificates must chain to;
 *        clients are asked for a certificate but may connect without one
 * @param selfSigned a self-signed certificate kept in the data directory ({@code serve --tls self-signed})
 */
@ConfigurationProperties("lockkeeper.tls")
public record TlsSettings(Path certificate, Path key, Path clientCa, boolean selfSigned) {

    public TlsSettings {
        if ((certificate == null) != (key == null)) {
            throw new IllegalArgumentException("HTTPS needs both the certificate and its key: give --tls-certificate FILE and"
                    + " --tls-key-file FILE (lockkeeper.tls.certificate and lockkeeper.tls.key) together");
        }
        if (selfSigned && certificate != null) {
            throw new IllegalArgumentException("choose one: --tls self-signed (lockkeeper.tls.self-signed) or a certificate"
                    + " with --tls-certificate and --tls-key-file");
        }
        if (key != null && looksLikePem(key)) {
            throw new IllegalArgumentException("lockkeeper.tls.key names the file that holds the private key; give its path,"
                    + " never the key itself");
        }
        if (certificate != null && looksLikePem(certificate)) {
            throw new IllegalArgumentException("lockkeeper.tls.certificate names the PEM file; give its path");
        }
        if (clientCa != null && looksLikePem(clientCa)) {
            throw new IllegalArgumentException("lockkeeper.tls.client-ca names the PEM file of the CA certificates; give its path");
        }
        if (clientCa != null && !selfSigned && certificate == null) {
            throw new IllegalArgumentException("lockkeeper.tls.client-ca needs HTTPS: give --tls-certificate FILE and"
                    + " --tls-key-file FILE (or --tls self-signed) too");
        }
        certificate = absolute(certificate);
        key = absolute(key);
        clientCa = absolute(clientCa);
    }

    /** No HTTPS: the server speaks plain HTTP, as behind a reverse proxy. */
    public static TlsSettings off() {
        return new TlsSettings(null, null, null, false);
    }

    public boolean enabled() {
        return selfSigned || certificate != null;
    }

    private static boolean looksLikePem(Path value) {
        return value.toString().contains("-----BEGIN");
    }

    private static Path absolute(Path path) {
        return path == null ? null : path.toAbsolutePath().normalize();
    }
}
