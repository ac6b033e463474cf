package com.lockkeeper.tokens;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import com.lockkeeper.web.DatabaseUnavailable;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates `Authorization: Bearer <token>` against the token table. An enrollment token
 * becomes ROLE_DEVICE and nothing more. A bad token leaves the request unauthenticated and
 * records why, for the 401 answer.
 */
public final class BearerTokenFilter extends OncePerRequestFilter {

    public static final String FAILURE_ATTRIBUTE = BearerTokenFilter.class.getName() + ".failure";
    static final String DEVICE_ROLE = "ROLE_DEVICE";

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(BearerTokenFilter.class);

    private final ApiTokens tokens;

    public BearerTokenFilter(ApiTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header == null || header.isBlank()) {
            request.setAttribute(FAILURE_ATTRIBUTE, "this endpoint needs `Authorization: Bearer <enrollment token>`;"
                    + " an administrator creates one with `lockkeeper token create --name NAME`");
        } else if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            request.setAttribute(FAILURE_ATTRIBUTE, "the Authorization header must use the Bearer scheme");
        } else {
            java.util.Optional<TokenHolder> found;
            try {
                found = tokens.authenticate(header.substring(7).trim());
            } catch (RuntimeException e) {
                if (!DatabaseUnavailable.causedBy(e)) {
                    throw e;
                }
                log.warn("token check failed, database unavailable: {}", DatabaseUnavailable.describe(e));
                DatabaseUnavailable.write(response);
                return;
            }
            found.ifPresentOrElse(holder -> {
                String role = holder.device() ? DEVICE_ROLE : "ROLE_TOKEN_" + holder.kind().toUpperCase(java.util.Locale.ROOT);
                var authentication = UsernamePasswordAuthenticationToken.authenticated(holder, null,
                        List.of(new SimpleGrantedAuthority(role)));
                SecurityContextHolder.getContext().setAuthentication(authentication);
            }, () -> request.setAttribute(FAILURE_ATTRIBUTE, "the token is unknown or was revoked: ask an administrator"
                    + " for a new enrollment token (`lockkeeper token create --name NAME`)"));
        }
        chain.doFilter(request, response);
    }
}
