package com.lockkeeper.tokens;

import com.lockkeeper.devices.DeviceIdentity;
import com.lockkeeper.devices.Devices;
import com.lockkeeper.users.DirectoryAccounts;
import com.lockkeeper.users.LocalAccount;
import com.lockkeeper.users.SignedInUser;
import com.lockkeeper.users.UserAccounts;
import com.lockkeeper.http.DatabaseUnavailable;
import com.lockkeeper.support.BearerSecrets;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates `Authorization: Bearer <token>` against the token table. A device credential
 * ({@code lkd_…}) becomes its {@link DeviceIdentity}, ROLE_DEVICE, while its device is active or
 * pending. An enrollment token becomes ROLE_ENROLLMENT (it enrolls devices) and ROLE_DEVICE (an old
 * client calling with it acts as its computer's device, where that is still allowed). A personal token becomes its user, as a
 * {@link SignedInUser} with the roles the user has now; a disabled user's tokens do not work.
 * A bad token leaves the request unauthenticated and records why, for the 401 answer. Who a
 * secret authenticated as is remembered for a moment ({@link TokenCache}).
 */
public final class BearerTokenFilter extends OncePerRequestFilter {

    public static final String FAILURE_ATTRIBUTE = BearerTokenFilter.class.getName() + ".failure";
    static final String DEVICE_ROLE = "ROLE_DEVICE";
    static final String ENROLLMENT_ROLE = "ROLE_ENROLLMENT";
    public static final String VIA_TOKEN = "token";

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(BearerTokenFilter.class);

    private final ApiTokens tokens;
    private final Devices devices;
    private final UserAccounts users;
    private final Optional<DirectoryAccounts> directory;
    private final TokenCache cache;
    private final String missingTokenHint;

    /** @param missingTokenHint what the 401 says when no token was sent: which token this endpoint needs */
    public BearerTokenFilter(ApiTokens tokens, Devices devices, UserAccounts users, Optional<DirectoryAccounts> directory,
            TokenCache cache, String missingTokenHint) {
        this.tokens = tokens;
        this.cache = cache;
        this.devices = devices;
        this.users = users;
        this.directory = directory;
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
            Optional<Authentication> found;
            String presented = header.substring(7).trim();
            boolean deviceCredential = presented.startsWith(Devices.CREDENTIAL_PREFIX);
            try {
                found = authenticate(presented, deviceCredential);
            } catch (RuntimeException e) {
                if (!DatabaseUnavailable.causedBy(e)) {
                    throw e;
                }
                log.warn("token check failed, database unavailable: {}", DatabaseUnavailable.describe(e));
                DatabaseUnavailable.write(response);
                return;
            }
            found.ifPresentOrElse(
                    authentication -> SecurityContextHolder.getContext().setAuthentication(authentication),
                    () -> request.setAttribute(FAILURE_ATTRIBUTE, deviceCredential
                            ? "the device credential is unknown, or its device was revoked, rejected or replaced: the client"
                                    + " enrolls again (POST /api/v1/devices/enroll with an enrollment token)"
                            : "the token is unknown or was revoked, or its user is"
                                    + " disabled: create a new one (`lockkeeper token create`, or the Access tokens page)"));
        }
        chain.doFilter(request, response);
    }

    /** From the cache, or looked up (and then remembered, unless it is a device whose status or last call must be read anew). */
    private Optional<Authentication> authenticate(String presented, boolean deviceCredential) {
        if (!cache.enabled() || presented.length() > BearerSecrets.MAX_LENGTH) {
            return lookUp(presented, deviceCredential);
        }
        byte[] hash = BearerSecrets.hash(presented);
        Optional<Authentication> cached = cache.get(hash);
        if (cached.isPresent()) {
            return cached;
        }
        long generation = cache.generation();
        Optional<Authentication> found = lookUp(presented, deviceCredential);
        found.filter(authentication -> !(authentication.getPrincipal() instanceof DeviceIdentity device) || devices.cacheable(device))
                .ifPresent(authentication -> cache.put(hash, authentication, generation));
        return found;
    }

    private Optional<Authentication> lookUp(String presented, boolean deviceCredential) {
        return deviceCredential ? devices.authenticate(presented).map(BearerTokenFilter::device)
                : tokens.authenticate(presented).flatMap(this::authentication);
    }

    private static Authentication device(DeviceIdentity device) {
        return UsernamePasswordAuthenticationToken.authenticated(device, null, List.of(new SimpleGrantedAuthority(DEVICE_ROLE)));
    }

    private Optional<Authentication> authentication(TokenHolder holder) {
        if (holder.device()) {
            return Optional.of(UsernamePasswordAuthenticationToken.authenticated(holder, null,
                    List.of(new SimpleGrantedAuthority(ENROLLMENT_ROLE), new SimpleGrantedAuthority(DEVICE_ROLE))));
        }
        if (holder.personal() && holder.directoryUser() != null) {
            return directory.flatMap(d -> lookup(d, holder.directoryUser()))
                    .map(user -> {
                        SignedInUser viaToken = new SignedInUser(user.username(), user.roles(), VIA_TOKEN);
                        return UsernamePasswordAuthenticationToken.authenticated(viaToken, null, viaToken.authorities());
                    });
        }
        if (holder.personal()) {
            return users.find(holder.userId())
                    .filter(account -> !account.disabled())
                    .map((LocalAccount account) -> {
                        SignedInUser user = new SignedInUser(account.username(), account.roles(), VIA_TOKEN);
                        return UsernamePasswordAuthenticationToken.authenticated(user, null, user.authorities());
                    });
        }
        return Optional.empty();
    }

    /** A directory that cannot be asked authenticates no one (the 401 says the token did not work). */
    private static Optional<SignedInUser> lookup(DirectoryAccounts directory, String username) {
        try {
            return directory.lookup(username);
        } catch (IllegalStateException e) {
            return Optional.empty();
        }
    }
}
