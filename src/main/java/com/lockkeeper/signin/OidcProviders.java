package com.lockkeeper.signin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.core.AuthorizationGrantType;

/**
 * The configured OpenID providers as Spring Security's client registrations. A provider's metadata
 * ({@code /.well-known/openid-configuration}: endpoints, keys, end-session endpoint) is read at its
 * first sign-in, not at start: a provider that cannot be reached stops only sign-ins through it,
 * which try again next time. Every registration uses the authorization code flow with PKCE.
 */
public final class OidcProviders implements ClientRegistrationRepository {

    private static final Logger log = LoggerFactory.getLogger(OidcProviders.class);
    static final String REDIRECT_URI = "{baseUrl}/login/oauth2/code/{registrationId}";

    private final Map<String, OidcSettings.Provider> providers;
    private final Map<String, GroupRoles> roles = new ConcurrentHashMap<>();
    private final Map<String, ClientRegistration> registrations = new ConcurrentHashMap<>();

    OidcProviders(OidcSettings settings) {
        this.providers = settings.oidc();
        providers.forEach((id, provider) -> roles.put(id,
                GroupRoles.byRole(provider.roleMapping(), "lockkeeper.oidc." + id + ".role-mapping")));
    }

    /** A button on the sign-in page. */
    public record Button(String id, String label, String href) {
    }

    public List<Button> buttons() {
        return providers.entrySet().stream()
                .map(e -> new Button(e.getKey(), e.getValue().label(), "/oauth2/authorization/" + e.getKey()))
                .toList();
    }

    Optional<OidcSettings.Provider> provider(String id) {
        return Optional.ofNullable(providers.get(id));
    }

    GroupRoles roles(String id) {
        return roles.get(id);
    }

    /** The registration, its provider's metadata read now if not yet; null for an id that is not configured. */
    @Override
    public ClientRegistration findByRegistrationId(String registrationId) {
        OidcSettings.Provider provider = providers.get(registrationId);
        if (provider == null) {
            return null;
        }
        ClientRegistration known = registrations.get(registrationId);
        if (known != null) {
            return known;
        }
        ClientRegistration registration;
        try {
            registration = ClientRegistrations.fromIssuerLocation(provider.issuerUri().toString())
                    .registrationId(registrationId)
                    .clientId(provider.clientId())
                    .clientSecret(secret(registrationId, provider))
                    .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                    .redirectUri(REDIRECT_URI)
                    .scope(provider.scopes())
                    .clientName(provider.label())
                    .userNameAttributeName(provider.usernameClaim())
                    .clientSettings(ClientRegistration.ClientSettings.builder().requireProofKey(true).build())
                    .build();
        } catch (RuntimeException e) {
            log.warn("OpenID provider {} ({}) cannot be used for sign-in now: {}", registrationId, provider.issuerUri(),
                    e.getMessage());
            throw new ProviderUnavailableException(registrationId, e);
        }
        registrations.putIfAbsent(registrationId, registration);
        return registrations.get(registrationId);
    }

    private static String secret(String id, OidcSettings.Provider provider) {
        try {
            String secret = Files.readString(provider.clientSecretFile(), StandardCharsets.UTF_8).strip();
            if (secret.isEmpty()) {
                throw new IllegalStateException("lockkeeper.oidc." + id + ".client-secret-file " + provider.clientSecretFile()
                        + " is empty");
            }
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read lockkeeper.oidc." + id + ".client-secret-file "
                    + provider.clientSecretFile() + " (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    /** The provider's metadata could not be read (or its secret file): sign-in through it is unavailable for now. */
    public static final class ProviderUnavailableException extends IllegalStateException {

        ProviderUnavailableException(String id, Throwable cause) {
            super("OpenID provider " + id + " cannot be used now: " + cause.getMessage(), cause);
        }
    }
}
