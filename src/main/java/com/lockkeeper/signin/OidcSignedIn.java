package com.lockkeeper.signin;

import com.lockkeeper.users.SignedInUser;
import java.io.Serial;
import org.springframework.security.authentication.AbstractAuthenticationToken;

/**
 * A web session signed in through an OpenID provider: the {@link SignedInUser} like every other
 * sign-in, and what signing out needs to end the session at the provider too (the provider's id
 * and the ID token, sent back as {@code id_token_hint}). The provider's access and refresh tokens
 * are not kept.
 */
public final class OidcSignedIn extends AbstractAuthenticationToken {

    @Serial
    private static final long serialVersionUID = 1L;
    static final String VIA_PREFIX = "oidc:";

    private final SignedInUser user;
    private final String provider;
    private final String idToken;

    OidcSignedIn(SignedInUser user, String provider, String idToken) {
        super(user.authorities());
        this.user = user;
        this.provider = provider;
        this.idToken = idToken;
        setAuthenticated(true);
    }

    @Override
    public SignedInUser getPrincipal() {
        return user;
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    String provider() {
        return provider;
    }

    String idToken() {
        return idToken;
    }

    /** True for a person signed in through any OpenID provider. */
    public static boolean via(SignedInUser user) {
        return user.via() != null && user.via().startsWith(VIA_PREFIX);
    }

    @Override
    public String toString() {
        return "OidcSignedIn[" + user.username() + " via " + provider + "]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof OidcSignedIn o && o.user.equals(user) && o.provider.equals(provider) && o.idToken.equals(idToken);
    }

    @Override
    public int hashCode() {
        return user.hashCode();
    }
}
