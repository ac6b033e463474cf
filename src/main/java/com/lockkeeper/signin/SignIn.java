package com.lockkeeper.signin;

import com.lockkeeper.audit.AuditAction;
import com.lockkeeper.audit.Actor;
import com.lockkeeper.audit.AuditEntry;
import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.support.Password;
import com.lockkeeper.users.LocalAccount;
import com.lockkeeper.users.SignedInUser;
import com.lockkeeper.users.UserAccounts;
import java.time.Duration;
import java.util.Optional;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Checks a user name and password from the sign-in form: a local account if one has this
 * name, else the directory (when configured). The answer is an authentication whose principal
 * is a {@link SignedInUser}; a failure never says whether the user name exists. Too many
 * failures for a name or from an address are refused for a while without checking the
 * password. Every attempt is audited, never with the password.
 */
public final class SignIn implements AuthenticationManager {

    static final String LOCAL = "local";
    static final String LDAP = "ldap";
    private static final int MAX_AUDITED_NAME = 100;

    private final UserAccounts users;
    private final Optional<LdapDirectory> directory;
    private final SignInThrottle throttle;
    private final AuditLog audit;

    SignIn(UserAccounts users, Optional<LdapDirectory> directory, SignInThrottle throttle, AuditLog audit) {
        this.users = users;
        this.directory = directory;
        this.throttle = throttle;
        this.audit = audit;
    }

    @Override
    public Authentication authenticate(Authentication attempt) throws AuthenticationException {
        String username = attempt.getName() == null ? "" : attempt.getName().strip();
        String address = attempt.getDetails() instanceof WebAuthenticationDetails details && details.getRemoteAddress() != null
                ? details.getRemoteAddress() : "unknown";
        Object credentials = attempt.getCredentials();
        if (username.isEmpty() || !(credentials instanceof String text) || text.isEmpty()) {
            refused(username, address, "user name or password missing");
            throw new BadCredentialsException("user name and password are both required");
        }
        // CORP\alice, as typed at Windows sign-in, is alice: to local accounts, the directory and the throttle.
        String account = withoutDomain(username);
        SignInThrottle.Attempt recorded = throttle.begin(account, address);
        if (recorded.mustWait().isPresent()) {
            throttle.withdraw(recorded);
            refused(username, address, "throttled after too many failed sign-ins");
            throw new LockedException("Too many failed sign-ins for this user name or from this computer. Wait "
                    + minutes(recorded.mustWait().get()) + ", then try again. Forgotten your password? Ask an administrator to reset it.");
        }
        Optional<SignedInUser> user;
        try (Password password = Password.copyOf(text)) {
            user = users.find(account).isPresent() || directory.isEmpty()
                    ? local(account, password)
                    : fromDirectory(account, password);
        } catch (AuthenticationServiceException e) {
            throttle.withdraw(recorded);
            refused(username, address, "directory unavailable");
            throw e;
        }
        if (user.isEmpty()) {
            refused(username, address, "wrong user name or password");
            for (String locked : throttle.lockedBy(recorded, account, address)) {
                audit.record(AuditEntry.success(Actor.system("signin-throttle"), AuditAction.SIGN_IN_LOCKED, locked,
                        "too many failed sign-ins; the last as " + audited(username) + " from " + address));
            }
            throw new BadCredentialsException("bad credentials");
        }
        SignedInUser signedIn = user.get();
        throttle.succeeded(account);
        audit.record(AuditEntry.success(signedIn.actor(), AuditAction.SIGN_IN, "user " + signedIn.username(),
                "signed in via " + signedIn.via() + " from " + address + "; roles: " + signedIn.roleNames()));
        return authenticated(signedIn);
    }

    private Optional<SignedInUser> local(String username, Password password) {
        if (!users.checkSignIn(username, password)) {
            return Optional.empty();
        }
        return users.find(username).filter(account -> !account.disabled())
                .map((LocalAccount account) -> new SignedInUser(account.username(), account.roles(), LOCAL));
    }

    /**
     * A local account's name is never looked up in the directory: a disabled local account stays
     * shut out. {@code CORP\alice}, as people type it at Windows sign-in, is looked up as {@code alice}.
     */
    private Optional<SignedInUser> fromDirectory(String username, Password password) {
        try {
            return directory.get().authenticate(username, password);
        } catch (LdapDirectory.DirectoryUnavailableException e) {
            throw new AuthenticationServiceException(e.getMessage(), e);
        }
    }

    private static String withoutDomain(String username) {
        return username.substring(username.lastIndexOf('\\') + 1);
    }

    private static String audited(String typedName) {
        return typedName.isEmpty() ? "(none)"
                : typedName.length() > MAX_AUDITED_NAME ? typedName.substring(0, MAX_AUDITED_NAME) : typedName;
    }

    private void refused(String typedName, String address, String why) {
        String name = audited(typedName);
        audit.record(AuditEntry.refused(Actor.user(name), AuditAction.SIGN_IN, "user " + name, why + " (from " + address + ")"));
    }

    private static String minutes(Duration wait) {
        long minutes = Math.max(1, (wait.toSeconds() + 59) / 60);
        return minutes == 1 ? "1 minute" : minutes + " minutes";
    }

    public static UsernamePasswordAuthenticationToken authenticated(SignedInUser user) {
        return UsernamePasswordAuthenticationToken.authenticated(user, null, user.authorities());
    }
}
