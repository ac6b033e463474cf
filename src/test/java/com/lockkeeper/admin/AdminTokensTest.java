package com.lockkeeper.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.testing.ApiClient;
import com.lockkeeper.testing.Escrows;
import com.lockkeeper.testing.People;
import com.lockkeeper.testing.WebServerTest;
import com.lockkeeper.testing.WebSession;
import com.lockkeeper.testing.WebSession.Page;
import com.lockkeeper.users.Role;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The admin's token page on a real server: an enrollment token created there escrows, and stops when revoked there. */
@WebServerTest
class AdminTokensTest {

    static final Pattern NEW_TOKEN = Pattern.compile("id=\"new-token\">(lke_[A-Za-z0-9_-]+)<");

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    int escrow(String token) {
        return new ApiClient(port).post("/api/v1/escrow", token,
                Escrows.json(Escrows.body("ADMIN-TOKENS.corp.example.com", Escrows.newPassword()))).status();
    }

    @Test
    void anEnrollmentTokenCreatedOnThePageEscrowsUntilRevokedThere() {
        String admin = People.add(context, "admin", Role.ADMIN);
        WebSession web = WebSession.signedIn(port, admin, People.PASSWORD);

        Page created = web.post("/admin/tokens", Map.of("name", "site-nantes"));

        Matcher m = NEW_TOKEN.matcher(created.body());
        assertThat(m.find()).isTrue();
        String token = m.group(1);
        assertThat(escrow(token)).isEqualTo(201);
        Page list = web.get("/admin/tokens");
        assertThat(list.body()).contains("site-nantes", "device enrollment").doesNotContain(token);

        long id = jdbc.sql("SELECT id FROM api_token WHERE name = 'site-nantes'").query(Long.class).single();
        Page revoked = web.post("/admin/tokens/" + id + "/revoke", Map.of());

        assertThat(web.follow(revoked).body()).contains("is revoked");
        assertThat(escrow(token)).isEqualTo(401);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE action IN ('token.create', 'token.revoke') AND actor = :a")
                .param("a", "user:" + admin).query(Long.class).single()).isEqualTo(2);
    }

    @Test
    void anAdminCanRevokeSomeoneElsesPersonalToken() {
        String leaver = People.add(context, "leaver", Role.HELPDESK);
        String token = People.token(context, leaver);
        long id = jdbc.sql("SELECT t.id FROM api_token t JOIN app_user u ON u.id = t.user_id WHERE u.username = :u")
                .param("u", leaver).query(Long.class).single();
        WebSession web = WebSession.signedIn(port, People.add(context, "admin", Role.ADMIN), People.PASSWORD);
        assertThat(web.get("/admin/tokens").body()).contains(leaver);

        web.post("/admin/tokens/" + id + "/revoke", Map.of());

        assertThat(escrow(token)).isEqualTo(401);
        assertThat(new ApiClient(port).send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + "/api/v1/computers?name=X"))
                .header("Authorization", "Bearer " + token).build()).status()).isEqualTo(401);
    }

    @Test
    void aMissingNameSaysWhatToType() {
        WebSession web = WebSession.signedIn(port, People.add(context, "admin", Role.ADMIN), People.PASSWORD);

        Page page = web.post("/admin/tokens", Map.of("name", ""));

        assertThat(page.body()).contains("Name the token after where devices use it").doesNotContain("id=\"new-token\"");
    }
}
