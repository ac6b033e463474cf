package com.lockkeeper.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.testing.OidcTestProvider;
import com.lockkeeper.testing.People;
import com.lockkeeper.testing.WebServerTest;
import com.lockkeeper.testing.WebSession;
import com.lockkeeper.testing.WebSession.Page;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * OpenID Connect sign-in against a real OpenID provider (Spring Authorization Server, started by
 * the test): the code flow with PKCE, groups mapped to roles at each sign-in, ID tokens that must
 * be signed by the provider, for this client and from this issuer, and sign-out that ends the
 * provider's session too.
 */
@WebServerTest(properties = {
        "lockkeeper.oidc.test-idp.client-id=lockkeeper",
        "lockkeeper.oidc.test-idp.display-name=Test IdP",
        "lockkeeper.oidc.test-idp.role-mapping.HELPDESK=helpdesk-staff",
        "lockkeeper.oidc.test-idp.role-mapping.ADVANCED_HELPDESK=helpdesk-tier2",
        "lockkeeper.oidc.test-idp.role-mapping.AUDITOR=Security-Auditors,/corp/auditors",
        "lockkeeper.oidc.keycloak.client-id=lockkeeper-kc",
        "lockkeeper.oidc.keycloak.display-name=Keycloak",
        "lockkeeper.oidc.keycloak.roles-claim=realm_access.roles",
        "lockkeeper.oidc.keycloak.role-mapping.ADMIN=lockkeeper-admins",
        "lockkeeper.oidc.down.client-id=lockkeeper",
        "lockkeeper.oidc.down.display-name=Unreachable"})
class OidcSignInTest {

    static final String SECRET = "client secret of the test";

    @TempDir
    static Path secrets;

    static OidcTestProvider provider;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        provider = OidcTestProvider.start();
        provider.registerClient("lockkeeper", SECRET, "/login/oauth2/code/test-idp");
        provider.registerClient("lockkeeper-kc", SECRET, "/login/oauth2/code/keycloak");
        Path secretFile = secrets.resolve("oidc-client-secret");
        Files.writeString(secretFile, SECRET + "\n");
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        for (String id : List.of("test-idp", "keycloak", "down")) {
            registry.add("lockkeeper.oidc." + id + ".client-secret-file", secretFile::toString);
        }
        registry.add("lockkeeper.oidc.test-idp.issuer-uri", provider::issuer);
        registry.add("lockkeeper.oidc.keycloak.issuer-uri", provider::issuer);
        registry.add("lockkeeper.oidc.down.issuer-uri", () -> "http://127.0.0.1:" + closedPort);
    }

    @AfterAll
    static void stopProvider() {
        provider.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    static String person(String prefix, String... groups) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
        provider.person(name, groups);
        return name;
    }

    Page signIn(WebSession web, String providerId, String username) {
        return provider.signIn(web, providerId, username);
    }

    @Test
    void theSignInPageHasAButtonPerProviderBesideTheForm() {
        String page = new WebSession(port).get("/login").body();

        assertThat(page).contains("id=\"username\"", "id=\"password\"", "Sign in with Test IdP", "Sign in with Keycloak",
                "href=\"/oauth2/authorization/test-idp\"", "href=\"/oauth2/authorization/keycloak\"");
    }

    @Test
    void theProviderIsAskedForACodeWithPkceStateAndNonce() {
        Page redirect = new WebSession(port).get("/oauth2/authorization/test-idp");

        assertThat(redirect.status()).isEqualTo(302);
        assertThat(redirect.location()).startsWith(provider.issuer() + "/oauth2/authorize?")
                .contains("response_type=code", "client_id=lockkeeper", "code_challenge=", "code_challenge_method=S256",
                        "state=", "nonce=", "scope=openid%20profile%20email")
                .doesNotContain(SECRET.replace(" ", "%20"));
    }

    @Test
    void aHelpdeskGroupMemberSignsInWithTheHelpdeskRoleAndIsAudited() {
        String hanna = person("hanna", "helpdesk-staff", "all-staff");
        WebSession web = new WebSession(port);

        assertThat(signIn(web, "test-idp", hanna).redirectsTo("/")).isTrue();

        assertThat(web.get("/").redirectsTo("/helpdesk")).isTrue();
        assertThat(web.get("/helpdesk").status()).isEqualTo(200);
        assertThat(web.get("/login").body()).contains("Signed in as <strong>" + hanna + "</strong>", "(HELPDESK)");
        assertThat(jdbc.sql("SELECT detail FROM audit_log WHERE action = 'signin' AND actor = :a AND outcome = 'success'")
                .param("a", "user:" + hanna).query(String.class).list())
                .singleElement().asString().contains("signed in via oidc:test-idp from 127.0.0.1", "roles: HELPDESK");
    }

    @Test
    void groupsMappedToSeveralRolesAddUpAndMatchWithoutRegardToCase() {
        String arno = person("arno", "helpdesk-tier2", "helpdesk-staff", "security-auditors");
        WebSession web = new WebSession(port);

        assertThat(signIn(web, "test-idp", arno).redirectsTo("/")).isTrue();

        assertThat(web.get("/login").body()).contains("(HELPDESK,ADVANCED_HELPDESK,AUDITOR)");
        assertThat(web.get("/audit").status()).isEqualTo(200);
    }

    @Test
    void rolesComeFromANestedClaimWhenTheRolesClaimIsAPath() {
        String kim = person("kim", "lockkeeper-admins");
        WebSession web = new WebSession(port);

        assertThat(signIn(web, "keycloak", kim).redirectsTo("/")).isTrue();

        assertThat(web.get("/login").body()).contains("(ADMIN)");
        assertThat(web.get("/admin/users").status()).isEqualTo(200);
        assertThat(jdbc.sql("SELECT detail FROM audit_log WHERE action = 'signin' AND actor = :a")
                .param("a", "user:" + kim).query(String.class).single()).contains("via oidc:keycloak");
    }

    @Test
    void someoneInNoMappedGroupIsAnEndUserWithSelfServiceOnly() {
        String erin = person("erin", "all-staff");
        WebSession web = new WebSession(port);

        assertThat(signIn(web, "test-idp", erin).redirectsTo("/")).isTrue();

        assertThat(web.get("/login").body()).contains("(end user)");
        assertThat(web.get("/self-service").status()).isEqualTo(200);
        assertThat(web.get("/helpdesk").status()).isEqualTo(403);
        assertThat(web.get("/account/tokens").body()).contains("id=\"oidc-no-tokens\"");
    }

    @Test
    void someoneWhoLosesTheGroupLosesTheRoleAtTheNextSignIn() {
        String lars = person("lars", "helpdesk-staff");
        WebSession before = new WebSession(port);
        assertThat(signIn(before, "test-idp", lars).redirectsTo("/")).isTrue();
        assertThat(before.get("/helpdesk").status()).isEqualTo(200);

        provider.person(lars, "all-staff");
        WebSession after = new WebSession(port);
        assertThat(signIn(after, "test-idp", lars).redirectsTo("/")).isTrue();

        assertThat(after.get("/helpdesk").status()).isEqualTo(403);
        assertThat(after.get("/login").body()).contains("(end user)");
        assertThat(jdbc.sql("SELECT detail FROM audit_log WHERE action = 'signin' AND actor = :a ORDER BY at, seq")
                .param("a", "user:" + lars).query(String.class).list())
                .satisfiesExactly(first -> assertThat(first).contains("roles: HELPDESK"),
                        second -> assertThat(second).contains("roles: end user"));
    }

    @Test
    void anIdTokenWithABrokenSignatureIsRefused() {
        String mallory = person("mallory", "helpdesk-staff");
        WebSession web = new WebSession(port);
        provider.tamperIdTokens(true);
        Page answer;
        try {
            answer = signIn(web, "test-idp", mallory);
        } finally {
            provider.tamperIdTokens(false);
        }

        assertRefused(web, answer, "invalid_id_token");
    }

    @Test
    void anIdTokenForAnotherClientIsRefused() {
        String mallory = person("mallory", "helpdesk-staff");
        WebSession web = new WebSession(port);
        provider.idTokenAudience("another-client");
        Page answer;
        try {
            answer = signIn(web, "test-idp", mallory);
        } finally {
            provider.idTokenAudience(null);
        }

        assertRefused(web, answer, "aud");
    }

    @Test
    void anIdTokenFromAnotherIssuerIsRefused() {
        String mallory = person("mallory", "helpdesk-staff");
        WebSession web = new WebSession(port);
        provider.idTokenIssuer("http://127.0.0.1:1/other-issuer");
        Page answer;
        try {
            answer = signIn(web, "test-idp", mallory);
        } finally {
            provider.idTokenIssuer(null);
        }

        assertRefused(web, answer, "iss");
    }

    private void assertRefused(WebSession web, Page answer, String reason) {
        assertThat(answer.redirectsTo("/login")).as(answer.toString()).isTrue();
        assertThat(answer.location()).endsWith("?error");
        assertThat(web.get("/login?error").body()).contains("Sign-in through Test IdP did not succeed");
        assertThat(web.get("/helpdesk").redirectsTo("/login")).isTrue();
        assertThat(jdbc.sql("""
                        SELECT detail FROM audit_log WHERE action = 'signin' AND outcome = 'refused'
                        AND target = 'OpenID provider test-idp' ORDER BY at DESC, seq DESC LIMIT 1""")
                .query(String.class).single()).contains(reason);
    }

    @Test
    void aLocalAccountsNameCannotSignInThroughAProvider() {
        String name = People.add(context, "local", com.lockkeeper.users.Role.ADMIN);
        provider.person(name, "helpdesk-staff");
        WebSession web = new WebSession(port);

        Page answer = signIn(web, "test-idp", name);

        assertThat(answer.redirectsTo("/login")).isTrue();
        assertThat(web.get("/login?error").body()).contains("belongs to a Lockkeeper account: sign in with its password");
        assertThat(web.get("/admin/users").redirectsTo("/login")).isTrue();
    }

    @Test
    void aProviderThatCannotBeReachedSendsThePersonBackWithAMessage() {
        WebSession web = new WebSession(port);

        Page answer = web.get("/oauth2/authorization/down");

        assertThat(answer.redirectsTo("/login")).as(answer.toString()).isTrue();
        assertThat(web.get("/login?error").body()).contains("Sign-in through Unreachable is not available right now");
        assertThat(web.get("/login").body()).contains("Sign in with Test IdP"); // the others still work
    }

    @Test
    void signingOutEndsTheSessionHereAndAtTheProvider() {
        String otto = person("otto", "helpdesk-staff");
        provider.allowPostLogoutRedirect("lockkeeper", "http://127.0.0.1:" + port + "/login?signedOut");
        WebSession web = new WebSession(port);
        assertThat(signIn(web, "test-idp", otto).redirectsTo("/")).isTrue();
        web.get("/login");

        Page signOut = web.post("/logout", Map.of());

        // A page that goes on to the provider by itself: a redirect there would break the form's form-action 'self'.
        assertThat(signOut.status()).isEqualTo(200);
        java.util.regex.Matcher onward = java.util.regex.Pattern.compile("content=\"0;url=([^\"]+)\"").matcher(signOut.body());
        assertThat(onward.find()).isTrue();
        String endSession = org.springframework.web.util.HtmlUtils.htmlUnescape(onward.group(1));
        assertThat(endSession).startsWith(provider.issuer() + "/connect/logout?")
                .contains("id_token_hint=", "client_id=lockkeeper",
                        "post_logout_redirect_uri=http://127.0.0.1:" + port + "/login?signedOut");
        assertThat(web.get("/helpdesk").redirectsTo("/login")).isTrue();
        Page atProvider = web.send(HttpRequest.newBuilder(URI.create(endSession)).GET().build());
        assertThat(atProvider.status()).isEqualTo(302);
        assertThat(atProvider.location()).isEqualTo("http://127.0.0.1:" + port + "/login?signedOut");
        // The provider's session is over: signing in again asks for the password there.
        Page again = web.send(HttpRequest.newBuilder(URI.create(web.get("/oauth2/authorization/test-idp").location())).GET().build());
        assertThat(again.status()).isEqualTo(302);
        assertThat(again.location()).endsWith("/login").startsWith(provider.issuer());
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'signout' AND actor = :a")
                .param("a", "user:" + otto).query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void theClientSecretIsInNoPageAndNoSessionRow() {
        String sam = person("sam", "helpdesk-staff");
        WebSession web = new WebSession(port);
        assertThat(signIn(web, "test-idp", sam).redirectsTo("/")).isTrue();

        assertThat(web.get("/login").body()).doesNotContain(SECRET);
        List<byte[]> sessions = jdbc.sql("SELECT attribute_bytes FROM spring_session_attributes").query(byte[].class).list();
        assertThat(sessions).isNotEmpty().allSatisfy(bytes -> assertThat(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain(SECRET).doesNotContain("access_token"));
    }
}
