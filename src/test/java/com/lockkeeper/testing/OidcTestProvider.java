package com.lockkeeper.testing;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.config.annotation.web.configuration.OAuth2AuthorizationServerConfiguration;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;

/**
 * A real OpenID provider for tests: Spring Authorization Server in an application context of its
 * own on a free port of 127.0.0.1, with its own sign-in form. Clients must use PKCE. Each person has
 * a password ({@link #PASSWORD}) and groups that a test may change between sign-ins; ID tokens
 * carry {@code preferred_username}, {@code groups} and {@code realm_access.roles} (the groups again,
 * as Keycloak puts realm roles). A test can make the next ID tokens go wrong: a broken signature, or
 * another client's audience. Close it when done.
 */
public final class OidcTestProvider implements AutoCloseable {

    public static final String PASSWORD = "provider password 2026";

    private final ConfigurableApplicationContext context;
    private final State state;

    private OidcTestProvider(ConfigurableApplicationContext context) {
        this.context = context;
        this.state = context.getBean(State.class);
    }

    public static OidcTestProvider start() {
        return new OidcTestProvider(new SpringApplicationBuilder(ProviderApplication.class)
                .web(WebApplicationType.SERVLET)
                .registerShutdownHook(false)
                .run("--spring.config.name=oidc-test-provider", "--server.port=0", "--server.address=127.0.0.1",
                        "--server.servlet.session.cookie.name=PROVIDERSESSION", "--spring.main.banner-mode=off",
                        "--logging.level.root=WARN"));
    }

    public String issuer() {
        return "http://127.0.0.1:" + Installations.port(context);
    }

    /**
     * Registers a confidential client (client_secret_basic, authorization code, PKCE required) that
     * may redirect to {@code redirectPath} on any loopback port.
     */
    public void registerClient(String clientId, String secret, String redirectPath) {
        state.clients.save(RegisteredClient.withId(UUID.randomUUID().toString())
                .clientId(clientId)
                .clientSecret("{noop}" + secret)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .redirectUri("http://127.0.0.1" + redirectPath)
                .scope(OidcScopes.OPENID).scope(OidcScopes.PROFILE).scope(OidcScopes.EMAIL)
                .clientSettings(ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(false).build())
                .build());
    }

    /** Where this client may send a browser back to after RP-initiated logout (exactly, port included). */
    public void allowPostLogoutRedirect(String clientId, String uri) {
        RegisteredClient client = state.clients.findByClientId(clientId);
        state.clients.save(RegisteredClient.from(client).postLogoutRedirectUri(uri).build());
    }

    /** Adds a person (or changes their groups): the groups go into their next ID tokens. */
    public void person(String username, String... groups) {
        if (!state.users.userExists(username)) {
            state.users.createUser(User.withUsername(username).password("{noop}" + PASSWORD).roles("PERSON").build());
        }
        state.groups.put(username, List.of(groups));
    }

    /** The next ID tokens' signatures are broken (one character of the signature changed) until set back. */
    public void tamperIdTokens(boolean tamper) {
        state.tamper = tamper;
    }

    /** The next ID tokens are for this audience (another client's ID) until set back with null. */
    public void idTokenAudience(String audience) {
        state.audience = audience;
    }

    /** The next ID tokens name this issuer until set back with null. */
    public void idTokenIssuer(String issuer) {
        state.issuer = issuer;
    }

    /**
     * Signs in to Lockkeeper through this provider as a browser would, with {@code web}'s cookies:
     * the provider button, the provider's sign-in form (skipped while the provider's own session
     * lasts), and back. Answers Lockkeeper's answer to the provider's redirect back (to the start
     * page, or to the sign-in page with an error).
     */
    public WebSession.Page signIn(WebSession web, String providerId, String username) {
        WebSession.Page page = web.get("/oauth2/authorization/" + providerId);
        URI at = URI.create(web.base() + "/oauth2/authorization/" + providerId);
        for (int step = 0; step < 10; step++) {
            if (page.status() == 200 && page.body().contains("name=\"password\"")) {
                URI form = at.resolve("/login");
                page = web.send(HttpRequest.newBuilder(form)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("username=" + encode(username) + "&password=" + encode(PASSWORD)
                                + "&_csrf=" + encode(hiddenCsrf(page.body()))))
                        .build());
                at = form;
                continue;
            }
            if (page.status() != 302 && page.status() != 303) {
                throw new AssertionError("the sign-in through the provider stopped at " + at + ": " + page.status() + " "
                        + page.body());
            }
            URI next = at.resolve(page.location());
            if (next.getPort() != URI.create(issuer()).getPort()) {
                return web.send(HttpRequest.newBuilder(next).header("Accept", "text/html").GET().build());
            }
            at = next;
            page = web.send(HttpRequest.newBuilder(next).header("Accept", "text/html").GET().build());
        }
        throw new AssertionError("the sign-in through the provider went round in circles at " + at);
    }

    private static String hiddenCsrf(String html) {
        Matcher m = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(html);
        if (!m.find()) {
            throw new AssertionError("the provider's sign-in form has no CSRF token: " + html);
        }
        return m.group(1);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        context.close();
    }

    /** What the tests change while the provider runs. */
    static final class State {
        final InMemoryRegisteredClients clients = new InMemoryRegisteredClients();
        final InMemoryUserDetailsManager users = new InMemoryUserDetailsManager();
        final Map<String, List<String>> groups = new ConcurrentHashMap<>();
        volatile boolean tamper;
        volatile String audience;
        volatile String issuer;
    }

    /** Clients that can be added and changed while the provider runs. */
    static final class InMemoryRegisteredClients implements RegisteredClientRepository {
        private final Map<String, RegisteredClient> byId = new ConcurrentHashMap<>();

        @Override
        public void save(RegisteredClient client) {
            byId.values().removeIf(known -> known.getClientId().equals(client.getClientId()));
            byId.put(client.getId(), client);
        }

        @Override
        public RegisteredClient findById(String id) {
            return byId.get(id);
        }

        @Override
        public RegisteredClient findByClientId(String clientId) {
            return byId.values().stream().filter(c -> c.getClientId().equals(clientId)).findFirst().orElse(null);
        }
    }

    /**
     * The provider's application. Neither {@code @Configuration} nor {@code @EnableWebSecurity} (which
     * is one): Lockkeeper's own contexts scan this package and must not pick it up.
     */
    @ImportAutoConfiguration({TomcatServletWebServerAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
            WebMvcAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class, JacksonAutoConfiguration.class,
            SecurityAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class})
    static class ProviderApplication {

        @Bean
        State state() {
            return new State();
        }

        @Bean
        RegisteredClientRepository registeredClients(State state) {
            return state.clients;
        }

        @Bean
        UserDetailsService users(State state) {
            return state.users;
        }

        @Bean
        AuthorizationServerSettings authorizationServerSettings() {
            return AuthorizationServerSettings.builder().build();
        }

        @Bean
        JWKSource<SecurityContext> jwkSource() throws NoSuchAlgorithmException {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            RSAKey key = new RSAKey.Builder((RSAPublicKey) pair.getPublic()).privateKey((RSAPrivateKey) pair.getPrivate())
                    .keyID(UUID.randomUUID().toString()).build();
            return new ImmutableJWKSet<>(new JWKSet(key));
        }

        /** For the userinfo endpoint, which takes the access token. */
        @Bean
        JwtDecoder jwtDecoder(JWKSource<SecurityContext> keys) {
            return OAuth2AuthorizationServerConfiguration.jwtDecoder(keys);
        }

        /** Signs as usual; an ID token (it has a nonce) gets a broken signature while the test asks for it. */
        @Bean
        JwtEncoder jwtEncoder(JWKSource<SecurityContext> keys, State state) {
            NimbusJwtEncoder signer = new NimbusJwtEncoder(keys);
            return parameters -> {
                Jwt jwt = signer.encode(parameters);
                if (!state.tamper || !parameters.getClaims().getClaims().containsKey("nonce")) {
                    return jwt;
                }
                String value = jwt.getTokenValue();
                int at = value.lastIndexOf('.') + 5;
                String tampered = value.substring(0, at) + (value.charAt(at) == 'A' ? 'B' : 'A') + value.substring(at + 1);
                return Jwt.withTokenValue(tampered).headers(h -> h.putAll(jwt.getHeaders()))
                        .claims(c -> c.putAll(jwt.getClaims())).build();
            };
        }

        @Bean
        OAuth2TokenCustomizer<JwtEncodingContext> idTokenClaims(State state) {
            return context -> {
                if (!"id_token".equals(context.getTokenType().getValue())) {
                    return;
                }
                String name = context.getPrincipal().getName();
                List<String> groups = state.groups.getOrDefault(name, List.of());
                context.getClaims().claim("preferred_username", name).claim("groups", groups)
                        .claim("realm_access", Map.of("roles", groups));
                if (state.audience != null) {
                    context.getClaims().audience(List.of(state.audience));
                }
                if (state.issuer != null) {
                    context.getClaims().issuer(state.issuer);
                }
            };
        }

        @Bean
        @Order(1)
        SecurityFilterChain protocol(HttpSecurity http) throws Exception {
            http.oauth2AuthorizationServer(server -> {
                        http.securityMatcher(server.getEndpointsMatcher());
                        server.oidc(Customizer.withDefaults());
                    })
                    .authorizeHttpRequests(authorize -> authorize.anyRequest().authenticated())
                    .exceptionHandling(exceptions -> exceptions.defaultAuthenticationEntryPointFor(
                            new LoginUrlAuthenticationEntryPoint("/login"), new MediaTypeRequestMatcher(MediaType.TEXT_HTML)));
            return http.build();
        }

        @Bean
        @Order(2)
        SecurityFilterChain signIn(HttpSecurity http) throws Exception {
            http.authorizeHttpRequests(authorize -> authorize.anyRequest().authenticated())
                    .formLogin(Customizer.withDefaults());
            return http.build();
        }
    }
}
