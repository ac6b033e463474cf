package com.lockkeeper.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.testing.ApiClient;
import com.lockkeeper.testing.ApiClient.Response;
import com.lockkeeper.testing.Escrows;
import com.lockkeeper.testing.People;
import com.lockkeeper.testing.Polling;
import com.lockkeeper.testing.WebServerTest;
import com.lockkeeper.users.Role;
import com.lockkeeper.users.UserAccounts;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Personal access tokens on the staff API and enrollment tokens on the device API: never the other way round. */
@WebServerTest
class PersonalTokensTest {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    ApiClient api;

    @BeforeEach
    void setUp() {
        api = new ApiClient(port);
    }

    Response get(String path, String token) {
        return api.send(HttpRequest.newBuilder(URI.create(api.base() + path)).header("Authorization", "Bearer " + token)
                .GET().build());
    }

    @Test
    void aPersonalTokenIsStoredOnlyAsAHashAndStartsWithLkp() {
        String user = People.add(context, "scripter", Role.HELPDESK);
        String token = People.token(context, user);

        assertThat(token).startsWith("lkp_").hasSizeGreaterThan(40);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM api_token WHERE kind = 'personal' AND user_id IS NOT NULL AND name LIKE 'test-%'")
                .query(Long.class).single()).isPositive();
        byte[] stored = jdbc.sql("SELECT token_hash FROM api_token t JOIN app_user u ON u.id = t.user_id WHERE u.username = :u")
                .param("u", user).query(byte[].class).single();
        assertThat(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(token.substring(4, 20));
    }

    @Test
    void aHelpdeskTokenPassesTheHelpdeskRulesButNotTheAuditorsOrAdminsOnes() {
        String token = People.token(context, People.add(context, "desk", Role.HELPDESK));

        assertThat(get("/api/v1/computers?name=PC1", token).status()).isNotIn(401, 403);
        assertThat(get("/api/v1/recovery-keys?id=12345678", token).status()).isNotIn(401, 403);
        Response audit = get("/api/v1/audit", token);
        assertThat(audit.status()).isEqualTo(403);
        assertThat(audit.contentType()).startsWith("application/problem+json");
        assertThat(get("/api/v1/recovery-keys/" + UUID.randomUUID() + "/key-package", token).status()).isEqualTo(403);
        assertThat(get("/api/v1/users", token).status()).isEqualTo(403);
    }

    @Test
    void anAdminTokenWithoutAHelpdeskRoleCannotSearchOrReveal() {
        String token = People.token(context, People.add(context, "boss", Role.ADMIN));

        assertThat(get("/api/v1/computers?name=PC1", token).status()).isEqualTo(403);
        assertThat(api.post("/api/v1/recovery-keys/" + UUID.randomUUID() + "/reveal", token, "{}").status()).isEqualTo(403);
    }

    @Test
    void aPersonalTokenCanNeverEscrow() {
        String token = People.token(context, People.add(context, "all", Role.ADMIN, Role.ADVANCED_HELPDESK));

        Response response = api.post("/api/v1/escrow", token, Escrows.json(Escrows.body("PAT-PC.corp.example.com", Escrows.newPassword())));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.json().path("detail").asString()).contains("enrollment token");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM computer WHERE name = 'PAT-PC'").query(Long.class).single()).isZero();
    }

    @Test
    void anEnrollmentTokenCanNeverCallTheStaffApi() {
        String device = context.getBean(ApiTokens.class).createEnrollmentToken("dev-" + UUID.randomUUID(), Actor.system("t")).secret();

        for (String path : new String[] {"/api/v1/computers?name=PC1", "/api/v1/recovery-keys?id=12345678", "/api/v1/audit"}) {
            Response response = get(path, device);
            assertThat(response.status()).as(path).isEqualTo(403);
            assertThat(response.contentType()).startsWith("application/problem+json");
        }
        assertThat(api.post("/api/v1/recovery-keys/" + UUID.randomUUID() + "/reveal", device, "{}").status()).isEqualTo(403);
    }

    @Test
    void aRevokedTokenOrADisabledUsersTokenGets401() {
        String revokedUser = People.add(context, "revoked", Role.HELPDESK);
        String revoked = People.token(context, revokedUser);
        ApiTokens tokens = context.getBean(ApiTokens.class);
        long id = tokens.authenticate(revoked).orElseThrow().tokenId();
        tokens.revoke(Long.toString(id), Actor.system("t"));
        String disabledUser = People.add(context, "disabled", Role.HELPDESK);
        String disabled = People.token(context, disabledUser);
        assertThat(get("/api/v1/computers?name=PC1", disabled).status()).isNotIn(401, 403);
        context.getBean(UserAccounts.class).setDisabled(disabledUser, true, Actor.system("t"));

        for (String token : new String[] {revoked, disabled, "lkp_made-up", "garbage"}) {
            Response response = get("/api/v1/computers?name=PC1", token);
            assertThat(response.status()).isEqualTo(401);
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(response.body()).doesNotContain(token);
        }
    }

    @Test
    void enablingADisabledUserAgainDoesNotReviveTheirTokens() {
        String user = People.add(context, "reenabled", Role.HELPDESK);
        String token = People.token(context, user);
        UserAccounts users = context.getBean(UserAccounts.class);

        users.setDisabled(user, true, Actor.system("t"));
        users.setDisabled(user, false, Actor.system("t"));

        assertThat(get("/api/v1/computers?name=PC1", token).status()).isEqualTo(401);
        long userId = users.find(user).orElseThrow().id();
        assertThat(context.getBean(ApiTokens.class).ofUser(userId)).as("the user's tokens").isNotEmpty()
                .allMatch(t -> !t.active());
    }

    @Test
    void theTokenCarriesTheUsersCurrentRoles() {
        String user = People.add(context, "promoted", Role.AUDITOR);
        String token = People.token(context, user);
        assertThat(get("/api/v1/computers?name=PC1", token).status()).isEqualTo(403);

        long userId = context.getBean(UserAccounts.class).find(user).orElseThrow().id();
        jdbc.sql("INSERT INTO user_role (user_id, role) VALUES (:id, 'HELPDESK')").param("id", userId).update();

        // Changed behind the server's back, as by another node: within a second (the token cache's promise).
        assertThat(Polling.until(() -> get("/api/v1/computers?name=PC1", token).status(), status -> status != 403,
                Polling.WITHIN_A_SECOND)).isNotIn(401, 403);

        context.getBean(UserAccounts.class).setRoles(user, java.util.Set.of(Role.AUDITOR), Actor.system("test"));
        assertThat(get("/api/v1/computers?name=PC1", token).status()).as("changed on this node: at the next call").isEqualTo(403);
    }
}
