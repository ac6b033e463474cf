package com.lockkeeper.signin;

import com.lockkeeper.users.SignedInUser;
import com.lockkeeper.users.UserAccounts;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.oidc.IdTokenClaimNames;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

/**
 * Who signed in through an OpenID provider, after Spring Security has checked the ID token
 * (signature against the provider's keys, issuer, audience, expiry, nonce): the user name from the
 * configured claim, and roles from the groups in the configured claim, mapped afresh at every
 * sign-in. A name that is a local account's is refused, as it is for the directory.
 */
final class OidcUsers implements OAuth2UserService<OidcUserRequest, OidcUser> {

    static final String REFUSED = "lockkeeper_refused";
    private static final Logger log = LoggerFactory.getLogger(OidcUsers.class);
    private static final int MAX_USERNAME = 100;

    private final OidcProviders providers;
    private final UserAccounts users;
    private final OidcUserService claims = new OidcUserService();

    OidcUsers(OidcProviders providers, UserAccounts users) {
        this.providers = providers;
        this.users = users;
    }

    @Override
    public OidcUser loadUser(OidcUserRequest request) throws OAuth2AuthenticationException {
        OidcUser user = claims.loadUser(request);
        String id = request.getClientRegistration().getRegistrationId();
        OidcSettings.Provider provider = providers.provider(id).orElseThrow();
        Map<String, Object> all = user.getClaims();
        Object name = all.get(provider.usernameClaim());
        if (!(name instanceof String text) || text.isBlank()) {
            throw refused("the ID token has no '" + provider.usernameClaim() + "' claim to take the user name from (set"
                    + " lockkeeper.oidc." + id + ".username-claim)", "Sign-in through " + provider.label() + " did not give"
                    + " Lockkeeper your user name. Tell an administrator.");
        }
        String username = text.strip();
        if (username.length() > MAX_USERNAME || username.chars().anyMatch(Character::isISOControl)) {
            throw refused("the user name in '" + provider.usernameClaim() + "' is longer than " + MAX_USERNAME
                    + " characters or has control characters", "Lockkeeper cannot use the user name " + provider.label()
                    + " gave. Tell an administrator.");
        }
        if (users.find(username).isPresent()) {
            throw refused("'" + username + "' is a local account's name; a local account signs in with its password only",
                    "The name " + username + " belongs to a Lockkeeper account: sign in with its password instead.");
        }
        if (all.get("_claim_names") instanceof Map<?, ?> overage && overage.containsKey(provider.rolesClaim())) {
            log.warn("OpenID provider {} left out the '{}' claim of {} (too many groups): they sign in as an end user. Send"
                    + " app roles instead, or only the groups assigned to the application", id, provider.rolesClaim(), username);
        }
        SignedInUser signedIn = new SignedInUser(username, providers.roles(id).of(groups(all, provider.rolesClaim())),
                OidcSignedIn.VIA_PREFIX + id);
        return new MappedUser(user, signedIn);
    }

    /** The strings at this claim, or at this dotted path into nested claims ({@code realm_access.roles}). */
    static List<String> groups(Map<String, Object> claims, String path) {
        Object value = claims.get(path);
        if (value == null) {
            Object at = claims;
            for (String part : path.split("\\.")) {
                at = at instanceof Map<?, ?> map ? map.get(part) : null;
            }
            value = at;
        }
        List<String> groups = new ArrayList<>();
        if (value instanceof Collection<?> many) {
            many.forEach(v -> {
                if (v != null) {
                    groups.add(v.toString());
                }
            });
        } else if (value instanceof String one) {
            groups.add(one);
        }
        return groups;
    }

    private static OAuth2AuthenticationException refused(String why, String message) {
        return new OAuth2AuthenticationException(new OAuth2Error(REFUSED, message, null), why);
    }

    /** The provider's user with the Lockkeeper user it maps to. */
    static final class MappedUser extends DefaultOidcUser {

        private final SignedInUser signedIn;

        MappedUser(OidcUser user, SignedInUser signedIn) {
            super(user.getAuthorities(), user.getIdToken(), user.getUserInfo(), IdTokenClaimNames.SUB);
            this.signedIn = signedIn;
        }

        SignedInUser signedIn() {
            return signedIn;
        }
    }
}
