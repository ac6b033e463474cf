package com.lockkeeper.signin;

import com.lockkeeper.keys.Password;
import com.lockkeeper.users.LocalAccount;
import com.lockkeeper.users.SignedInUser;
import com.lockkeeper.users.UserAccounts;
import java.util.Optional;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

/**
 * Checks a user name and password from the sign-in form: local accounts first. The answer
 * is an authentication whose principal is a {@link SignedInUser}; a failure never says whether
 * the user name exists.
 */
public final class SignIn implements AuthenticationManager {

    static final String LOCAL = "local";

    private final UserAccounts users;

    SignIn(UserAccounts users) {
        this.users = users;
    }

    @Override
    public Authentication authenticate(Authentication attempt) throws AuthenticationException {
        String username = attempt.getName() == null ? "" : attempt.getName().strip();
        Object credentials = attempt.getCredentials();
        if (username.isEmpty() || !(credentials instanceof String text) || text.isEmpty()) {
            throw new BadCredentialsException("user name and password are both required");
        }
        try (Password password = Password.copyOf(text)) {
            Optional<SignedInUser> local = local(username, password);
            if (local.isPresent()) {
                return authenticated(local.get());
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

    public static UsernamePasswordAuthenticationToken authenticated(SignedInUser user) {
        return UsernamePasswordAuthenticationToken.authenticated(user, null, user.authorities());
    }
}
