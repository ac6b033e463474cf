package com.lockkeeper.support;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import com.unboundid.util.ssl.SSLUtil;
import com.unboundid.util.ssl.TrustStoreTrustManager;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Locale;
import javax.net.SocketFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Connections to a directory (Active Directory or another LDAP server), one way for sign-in and for
 * the key import: {@code ldap://host[:389]} or {@code ldaps://host[:636]}. Over ldaps the server's
 * certificate must chain to the CA certificates of {@code caFile} (PEM, one or more), or without one
 * to the JVM's trust store, and must name the host of the URL.
 */
public final class LdapConnections {

    private LdapConnections() {
    }

    /** Checks the URL's form: ldap or ldaps, a host; answers a reason, or null when it is fine. */
    public static String problemWith(String url) {
        if (url == null || url.isBlank()) {
            return "no directory URL was given: ldaps://dc1.corp.example.com or ldap://dc1.corp.example.com";
        }
        try {
            LDAPURL parsed = new LDAPURL(url.strip());
            String scheme = parsed.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("ldap") && !scheme.equals("ldaps")) {
                return "the directory URL must start with ldaps:// or ldap://";
            }
            if (!parsed.hostProvided()) {
                return "the directory URL has no host: ldaps://dc1.corp.example.com";
            }
            return null;
        } catch (LDAPException e) {
            return "the directory URL is not an LDAP URL like ldaps://dc1.corp.example.com";
        }
    }

    /** An open, not yet bound connection; the caller closes it. */
    public static LDAPConnection open(String url, Path caFile, Duration timeout) throws LDAPException {
        LDAPURL parsed = new LDAPURL(url.strip());
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        int timeoutMillis = (int) Math.max(0, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        options.setConnectTimeoutMillis(timeoutMillis);
        options.setResponseTimeoutMillis(timeout.toMillis());
        boolean tls = "ldaps".equalsIgnoreCase(parsed.getScheme());
        if (tls) {
            options.setSSLSocketVerifier(new HostNameSSLSocketVerifier(true));
        }
        return new LDAPConnection(new ReadTimeoutSockets(socketFactory(tls, caFile), timeoutMillis), options,
                parsed.getHost(), parsed.getPort());
    }

    private static SocketFactory socketFactory(boolean tls, Path caFile) throws LDAPException {
        if (!tls) {
            return SocketFactory.getDefault();
        }
        try {
            X509TrustManager trust;
            if (caFile != null) {
                try {
                    trust = CaFiles.trustManager(caFile, "the CA file");
                } catch (IllegalArgumentException e) {
                    throw new LDAPException(ResultCode.CONNECT_ERROR, e.getMessage(), e);
                }
            } else {
                String trustStore = System.getProperty("javax.net.ssl.trustStore",
                        System.getProperty("java.home") + "/lib/security/cacerts");
                trust = new TrustStoreTrustManager(trustStore);
            }
            return new SSLUtil(trust).createSSLSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new LDAPException(ResultCode.CONNECT_ERROR, "cannot set up TLS for ldaps"
                    + (caFile == null ? "" : " with the CA file " + caFile) + ": " + e.getClass().getSimpleName(), e);
        }
    }
}
