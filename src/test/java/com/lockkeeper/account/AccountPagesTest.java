package com.lockkeeper.account;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.testing.ApiClient;
import com.lockkeeper.testing.People;
import com.lockkeeper.testing.WebServerTest;
import com.lockkeeper.testing.WebSession;
import com.lockkeeper.testing.WebSession.Page;
import com.lockkeeper.users.Role;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The account pages on a real server: own tokens (create once-shown, use, revoke) and own password. */
@WebServerTest
class AccountPagesTest {

    static final Pattern NEW_TOKEN = Pattern.compile("id=\"new-token\">(lkp_[A-Za-z0-9_-]+)<");

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    int apiStatus(String token) {
        ApiClient api = new ApiClient(port);
        return api.send(HttpRequest.newBuilder(URI.create(api.base() + "/api/v1/computers?name=PC1"))
                .header("Authorization", "Bearer " + token).GET().build()).status();
    }

    @Test
    void aTokenCreatedOnThePageIsShownOnceWorksAndStopsWhenRevoked() {
        String user = People.add(context, "desk", Role.HELPDESK);
        WebSession web = WebSession.signedIn(port, user, People.PASSWORD);

        Page created = web.post("/account/tokens", Map.of("name", "inventory script"));

        assertThat(created.status()).isEqualTo(200);
        Matcher m = NEW_TOKEN.matcher(created.body());
        assertThat(m.find()).isTrue();
        String token = m.group(1);
        assertThat(apiStatus(token)).isNotIn(401, 403);
        Page list = web.get("/account/tokens");
        assertThat(list.body()).contains("inventory script").contains("active").doesNotContain(token);

        long id = jdbc.sql("SELECT t.id FROM api_token t JOIN app_user u ON u.id = t.user_id WHERE u.username = :u")
                .param("u", user).query(Long.class).single();
        Page revoked = web.post("/account/tokens/" + id + "/revoke", Map.of());
        assertThat(revoked.redirectsTo("/account/tokens")).isTrue();
        assertThat(web.follow(revoked).body()).contains("is revoked");
        assertThat(apiStatus(token)).isEqualTo(401);
    }

    @Test
    void aTokenWithoutANameIsRefusedWithWhatToType() {
        WebSession web = WebSession.signedIn(port, People.add(context, "noname", Role.HELPDESK), People.PASSWORD);

        Page page = web.post("/account/tokens", Map.of("name", "  "));

        assertThat(page.body()).contains("Give the token a name").contains("aria-invalid=\"true\"").doesNotContain("id=\"new-token\"");
    }

    @Test
    void nobodyRevokesAnotherPersonsToken() {
        String owner = People.add(context, "owner", Role.HELPDESK);
        String token = People.token(context, owner);
        long id = jdbc.sql("SELECT t.id FROM api_token t JOIN app_user u ON u.id = t.user_id WHERE u.username = :u")
                .param("u", owner).query(Long.class).single();
        WebSession other = WebSession.signedIn(port, People.add(context, "other", Role.ADMIN), People.PASSWORD);

        Page refused = other.follow(other.post("/account/tokens/" + id + "/revoke", Map.of()));

        assertThat(refused.body()).contains("You have no active token with id " + id);
        assertThat(apiStatus(token)).isNotIn(401, 403);
    }

    @Test
    void revokingWithoutTheCsrfTokenIsRefused() {
        String user = People.add(context, "csrf", Role.HELPDESK);
        String token = People.token(context, user);
        long id = jdbc.sql("SELECT t.id FROM api_token t JOIN app_user u ON u.id = t.user_id WHERE u.username = :u")
                .param("u", user).query(Long.class).single();
        WebSession web = WebSession.signedIn(port, user, People.PASSWORD);

        Page forged = web.postExactly("/account/tokens/" + id + "/revoke", Map.of());

        assertThat(forged.status()).isEqualTo(403);
        assertThat(apiStatus(token)).isNotIn(401, 403);
    }

    @Test
    void changingTheOwnPasswordNeedsTheCurrentOneAndTwoMatchingNewOnes() {
        String user = People.add(context, "changer");
        WebSession web = WebSession.signedIn(port, user, People.PASSWORD);

        Page wrongCurrent = web.post("/account/password", Map.of("current", "not it at all",
                "replacement", "a brand new passphrase", "confirmation", "a brand new passphrase"));
        assertThat(wrongCurrent.body()).contains("The current password is not right");
        Page mismatch = web.post("/account/password", Map.of("current", People.PASSWORD,
                "replacement", "a brand new passphrase", "confirmation", "a brand new passfrase"));
        assertThat(mismatch.body()).contains("are not the same");
        Page tooShort = web.post("/account/password", Map.of("current", People.PASSWORD,
                "replacement", "short", "confirmation", "short"));
        assertThat(tooShort.body()).contains("at least 12 characters");
        assertThat(new WebSession(port).signIn(user, People.PASSWORD).redirectsTo("/")).isTrue();

        Page changed = web.post("/account/password", Map.of("current", People.PASSWORD,
                "replacement", "a brand new passphrase", "confirmation", "a brand new passphrase"));

        assertThat(changed.redirectsTo("/account/password")).isTrue();
        assertThat(web.follow(changed).body()).contains("Your password is changed");
        assertThat(new WebSession(port).signIn(user, People.PASSWORD).location()).contains("error");
        assertThat(new WebSession(port).signIn(user, "a brand new passphrase").redirectsTo("/")).isTrue();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'user.passwd' AND target = :t")
                .param("t", "user " + user).query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void aOneTimePasswordLeadsToThePasswordPageBeforeAnythingElse() {
        String user = People.add(context, "fresh", Role.ADMIN);
        jdbc.sql("UPDATE app_user SET must_change_password = TRUE WHERE username = :u").param("u", user).update();
        WebSession web = new WebSession(port);

        Page signedIn = web.signIn(user, People.PASSWORD);

        assertThat(signedIn.redirectsTo("/account/password")).isTrue();
        assertThat(web.get("/account/password").body()).contains("Choose a new password before you continue");
        assertThat(web.get("/admin/users").redirectsTo("/account/password")).isTrue();
        assertThat(web.get("/").redirectsTo("/account/password")).isTrue();
        web.post("/account/password", Map.of("current", People.PASSWORD, "replacement", "my own passphrase",
                "confirmation", "my own passphrase"));
        assertThat(web.get("/").redirectsTo("/dashboard")).isTrue();
    }
}
