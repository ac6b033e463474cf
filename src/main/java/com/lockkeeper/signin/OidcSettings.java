package com.lockkeeper.signin;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * OpenID Connect sign-in: any number of providers under {@code lockkeeper.oidc.<id>.*} (Entra ID,
 * Okta, Keycloak, Google...), each a button on the sign-in page. Off while none is configured.
 */
@ConfigurationProperties("lockkeeper")
public record OidcSettings(Map<String, Provider> oidc) {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");

    public OidcSettings {
        TreeMap<String, Provider> checked = new TreeMap<>();
        if (oidc != null) {
            oidc.forEach((id, provider) -> {
                if (!ID.matcher(id).matches()) {
                    throw new IllegalArgumentException("lockkeeper.oidc." + id + ": a provider's id has 1 to 40 lower-case letters,"
                            + " digits and '-' (it is part of the sign-in and redirect URLs), such as lockkeeper.oidc.entra.issuer-uri");
                }
                provider.check("lockkeeper.oidc." + id);
                checked.put(id, provider);
            });
        }
        oidc = java.util.Collections.unmodifiableMap(checked);
    }

    public boolean enabled() {
        return !oidc.isEmpty();
    }

    /**
     * One OpenID provider.
     *
     * @param issuerUri        the issuer, whose {@code /.well-known/openid-configuration} is read at the first sign-in
     * @param clientId         Lockkeeper's client ID at the provider
     * @param clientSecretFile a file holding the client secret (never the secret in a property or on a command line)
     * @param scopes           requested scopes; {@code openid} is always among them
     * @param displayName      the button's text: "Sign in with {displayName}"
     * @param usernameClaim    the claim that is the user name in the audit log and for self-service ({@code upn} for Entra ID)
     * @param rolesClaim       where the groups or roles are: a claim, or a path into one ({@code realm_access.roles})
     * @param roleMapping      {@code <ROLE>=<groups>}: members of any of these groups have the role
     */
    public record Provider(URI issuerUri, String clientId, Path clientSecretFile,
            @DefaultValue({"openid", "profile", "email"}) List<String> scopes, String displayName,
            @DefaultValue("preferred_username") String usernameClaim, @DefaultValue("groups") String rolesClaim,
            Map<String, List<String>> roleMapping) {

        public Provider {
            scopes = scopes == null ? List.of("openid") : scopes.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
            if (!scopes.contains("openid")) {
                scopes = java.util.stream.Stream.concat(java.util.stream.Stream.of("openid"), scopes.stream()).toList();
            }
            roleMapping = roleMapping == null ? Map.of() : Map.copyOf(roleMapping);
        }

        void check(String property) {
            if (issuerUri == null || issuerUri.getScheme() == null || issuerUri.getHost() == null) {
                throw new IllegalArgumentException(property + ".issuer-uri is required: the provider's issuer, such as"
                        + " https://login.microsoftonline.com/<tenant id>/v2.0");
            }
            if (clientId == null || clientId.isBlank()) {
                throw new IllegalArgumentException(property + ".client-id is required: Lockkeeper's client ID at the provider");
            }
            if (clientSecretFile == null) {
                throw new IllegalArgumentException(property + ".client-secret-file is required: a file (mode 0600) holding"
                        + " the client secret");
            }
            if (usernameClaim == null || usernameClaim.isBlank() || rolesClaim == null || rolesClaim.isBlank()) {
                throw new IllegalArgumentException(property + ".username-claim and .roles-claim must not be empty");
            }
            GroupRoles.byRole(roleMapping, property + ".role-mapping"); // an unknown role stops the start, not a sign-in
        }

        /** The button's text. */
        public String label() {
            return displayName == null || displayName.isBlank() ? issuerUri.getHost() : displayName.strip();
        }
    }
}
