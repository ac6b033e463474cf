package com.lockkeeper.signin;

import com.lockkeeper.keys.Password;
import com.lockkeeper.users.LocalAccount;
import com.lockkeeper.users.SignedInUser;
import com.lockkeeper.users.UserAccounts;
import java.util.Optional;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

/**
 * Checks a user name and password from the sign-in form: a local account if one has this
 * name, else the directory (when configured). The answer is an authentication whose principal
 * is a {@link SignedInUser}; a failure never says whether the user name exists.
 */
public final class SignIn implements AuthenticationManager {

    static final String LOCAL = "local";
    static final String LDAP = "ldap";

    private final UserAccounts users;
    private final Optional<LdapDirectory> directory;

    SignIn(UserAccounts users, Optional<LdapDirectory> directory) {
        this.users = users;
        this.directory = directory;
    }

    @Override
    public Authentication authenticate(Authentication attempt) throws AuthenticationException {
        String username = attempt.getName() == null ? "" : attempt.getName().strip();
        Object credentials = attempt.getCredentials();
        if (username.isEmpty() || !(credentials instanceof String text) || text.isEmpty()) {
            throw new BadCredentialsException("user name and password are both required");
        }
        try (Password password = Password.copyOf(text)) {
            Optional<SignedInUser> user = users.find(username).isPresent() || directory.isEmpty()
                    ? local(username, password)
                    : fromDirectory(username, password);
            if (user.isPresent()) {
                return authenticated(user.get());
            }
        }
        throw new BadCredentialsException("bad credentials");
    }

    private Optional<SignedInUser> local(String username, Password password) {
        if (!users.checkSignIn(username, password)) {
            return Optional.empty();
        }
        return users.find(username).filter(account -> !account.disabled())
                .map((LocalAccount account) -> new SignedInUser(account.username(), account.roles(), LOCAL));
    }

    /** A local account's name is never looked up in the directory: a disabled local account stays shut out. */
    private Optional<SignedInUser> fromDirectory(String username, Password password) {
        try {
            return directory.get().authenticate(username, password);
        } catch (LdapDirectory.DirectoryUnavailableException e) {
            throw new AuthenticationServiceException(e.getMessage(), e);
        }
    }

    public static UsernamePasswordAuthenticationToken authenticated(SignedInUser user) {
        return UsernamePasswordAuthenticationToken.authenticated(user, null, user.authorities());
    }
}
