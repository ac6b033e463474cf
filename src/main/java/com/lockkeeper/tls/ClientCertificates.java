package com.lockkeeper.tls;

import jakarta.servlet.http.HttpServletRequest;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The client certificate of a request, when {@code lockkeeper.tls.client-ca} is set and the
 * client presented one. The web server asks for it during the TLS handshake and accepts only a
 * certificate that chains to one of those CAs (a client that presents another is refused at the
 * handshake), so a certificate found here is a verified one. Verified means only that it
 * chains to one of those CAs; what it was issued for is for the caller to judge.
 */
public final class ClientCertificates {

    /** Where the servlet container puts the verified chain, leaf first. */
    static final String ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

    private static final int DNS_NAME = 2;

    private ClientCertificates() {
    }

    /** The verified client certificate of this request, if there is one. */
    public static Optional<X509Certificate> of(HttpServletRequest request) {
        if (request.getAttribute(ATTRIBUTE) instanceof X509Certificate[] chain && chain.length > 0) {
            return Optional.of(chain[0]);
        }
        return Optional.empty();
    }

    /**
     * The first DNS name in the subject alternative names of the request's verified client
     * certificate, as written there (an Active Directory Certificate Services machine
     * certificate carries the computer's DNS name, e.g. {@code DESKTOP-7F3K2.corp.example.com});
     * empty without a client certificate or without a DNS name in it. Compare it case-insensitively.
     */
    public static Optional<String> dnsName(HttpServletRequest request) {
        return of(request).flatMap(ClientCertificates::dnsName);
    }

    static Optional<String> dnsName(X509Certificate certificate) {
        Collection<List<?>> names;
        try {
            names = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return Optional.empty();
        }
        if (names == null) {
            return Optional.empty();
        }
        for (List<?> name : names) {
            if (name.size() == 2 && Integer.valueOf(DNS_NAME).equals(name.get(0)) && name.get(1) instanceof String dns
                    && !dns.isBlank()) {
                return Optional.of(dns);
            }
        }
        return Optional.empty();
    }
}
