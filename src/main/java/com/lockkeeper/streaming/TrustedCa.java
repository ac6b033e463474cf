package com.lockkeeper.streaming;

import com.lockkeeper.support.CaFiles;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/** TLS that trusts the certificates of a PEM file only (a SIEM's own CA), or the JVM's trust store without one. */
final class TrustedCa {

    private TrustedCa() {
    }

    static SSLContext context(Path caFile, String property) {
        try {
            if (caFile == null) {
                return SSLContext.getDefault();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {CaFiles.trustManager(caFile, property)}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS for " + property + ": " + e.getClass().getSimpleName(), e);
        }
    }
}
