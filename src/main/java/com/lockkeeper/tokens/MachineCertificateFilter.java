package com.lockkeeper.tokens;

import com.lockkeeper.devices.Devices;
import com.lockkeeper.http.DatabaseUnavailable;
import com.lockkeeper.tls.ClientCertificates;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Mutual TLS for devices: a request of the device API that carries no bearer token but a
 * machine certificate verified against {@code lockkeeper.tls.client-ca} acts as the device of
 * the computer the certificate's DNS name names (its active device, enrolled at its first call).
 * A bearer token, when sent, decides alone.
 */
public final class MachineCertificateFilter extends OncePerRequestFilter {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(MachineCertificateFilter.class);

    private final Devices devices;

    public MachineCertificateFilter(Devices devices) {
        this.devices = devices;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication current = SecurityContextHolder.getContext().getAuthentication();
        if (request.getHeader("Authorization") == null && (current == null || current instanceof AnonymousAuthenticationToken)) {
            String dnsName = ClientCertificates.dnsName(request).orElse(null);
            if (dnsName != null) {
                String issuer = ClientCertificates.of(request).map(X509Certificate::getIssuerX500Principal)
                        .map(Object::toString).orElse("?");
                try {
                    devices.byMachineCertificate(dnsName, issuer).ifPresentOrElse(device -> SecurityContextHolder.getContext()
                            .setAuthentication(UsernamePasswordAuthenticationToken.authenticated(device, null,
                                    List.of(new SimpleGrantedAuthority(BearerTokenFilter.DEVICE_ROLE)))),
                            () -> request.setAttribute(BearerTokenFilter.FAILURE_ATTRIBUTE, "the client certificate's DNS name"
                                    + " is not a computer name; a device presents its machine certificate (DNS name"
                                    + " COMPUTER.domain) or a device credential"));
                } catch (RuntimeException e) {
                    if (!DatabaseUnavailable.causedBy(e)) {
                        throw e;
                    }
                    log.warn("machine certificate check failed, database unavailable: {}", DatabaseUnavailable.describe(e));
                    DatabaseUnavailable.write(response);
                    return;
                }
            }
        }
        chain.doFilter(request, response);
    }
}
