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
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates `Authorization: Bearer <token>` against the token table. An enrollment token
 * becomes ROLE_DEVICE and nothing more. A bad token leaves the request unauthenticated and
 * records why, for the 401 answer.
 */
public final class BearerTokenFilter extends OncePerRequestFilter {

    public static final String FAILURE_ATTRIBUTE = BearerTokenFilter.class.getName() + ".failure";
    static final String DEVICE_ROLE = "ROLE_DEVICE";

    private final ApiTokens tokens;
    private final String missingTokenHint;

    /** @param missingTokenHint what the 401 says when no token was sent: which token this endpoint needs */
    public BearerTokenFilter(ApiTokens tokens, String missingTokenHint) {
        this.tokens = tokens;
        this.missingTokenHint = missingTokenHint;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header == null || header.isBlank()) {
            request.setAttribute(FAILURE_ATTRIBUTE, missingTokenHint);
        } else if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            request.setAttribute(FAILURE_ATTRIBUTE, "the Authorization header must use the Bearer scheme");
        } else {
            tokens.authenticate(header.substring(7).trim()).ifPresentOrElse(holder -> {
                String role = holder.device() ? DEVICE_ROLE : "ROLE_TOKEN_" + holder.kind().toUpperCase(java.util.Locale.ROOT);
                var authentication = UsernamePasswordAuthenticationToken.authenticated(holder, null,
                        List.of(new SimpleGrantedAuthority(role)));
                SecurityContextHolder.getContext().setAuthentication(authentication);
            }, () -> request.setAttribute(FAILURE_ATTRIBUTE, "the token is unknown or was revoked: ask an administrator"
                    + " for a new one (`lockkeeper token create`)"));
        }
        chain.doFilter(request, response);
    }
}
