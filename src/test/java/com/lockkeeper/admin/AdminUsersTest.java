package com.lockkeeper.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.testing.People;
import com.lockkeeper.testing.WebServerTest;
import com.lockkeeper.testing.WebSession;
import com.lockkeeper.testing.WebSession.Page;
import com.lockkeeper.users.LocalAccount;
import com.lockkeeper.users.Role;
import com.lockkeeper.users.UserAccounts;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The admin's users page on a real server: add, roles, disable/enable, temporary password; each change audited. */
@WebServerTest
class AdminUsersTest {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    UserAccounts users;

    @Autowired
    JdbcClient jdbc;

    String admin;
    WebSession web;

    @BeforeEach
    void signInAsAdmin() {
        admin = People.add(context, "admin", Role.ADMIN);
        web = WebSession.signedIn(port, admin, People.PASSWORD);
    }

    long audited(String action, String username) {
        return jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE action = :a AND target = :t AND actor = :actor")
                .param("a", action).param("t", "user " + username).param("actor", "user:" + admin).query(Long.class).single();
    }

    LocalAccount account(String username) {
        return users.find(username).orElseThrow();
    }

    @Test
    void listsTheUsersWithTheirRoles() {
        String helper = People.add(context, "listed", Role.HELPDESK);

        Page page = web.get("/admin/users");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains(helper, admin, "Add a user", "<label for=\"username\">");
    }

    @Test
    void addsAUserWithRolesAndATemporaryPasswordToBeChangedAtFirstSignIn() {
        String name = "new-" + UUID.randomUUID().toString().substring(0, 6);

        Page added = web.post("/admin/users", Map.of("username", name, "roles", "HELPDESK", "password", "temporary password 1"));

        assertThat(added.redirectsTo("/admin/users")).isTrue();
        assertThat(web.follow(added).body()).contains("Added " + name + " (HELPDESK)");
        assertThat(account(name).roles()).containsExactly(Role.HELPDESK);
        assertThat(account(name).mustChangePassword()).isTrue();
        assertThat(audited("user.add", name)).isEqualTo(1);
        assertThat(new WebSession(port).signIn(name, "temporary password 1").redirectsTo("/account/password")).isTrue();
    }

    @Test
    void addingAnExistingNameOrAShortPasswordSaysWhatToFixAndAddsNothing() {
        String existing = People.add(context, "taken");

        Page taken = web.post("/admin/users", Map.of("username", existing, "password", "temporary password 1"));
        Page shortPassword = web.post("/admin/users", Map.of("username", "fresh-name", "password", "short"));

        assertThat(taken.status()).isEqualTo(200);
        assertThat(taken.body()).contains("exists already");
        assertThat(shortPassword.body()).contains("at least 12 characters").contains("value=\"fresh-name\"");
        assertThat(users.find("fresh-name")).isEmpty();
    }

    @Test
    void disablingSignsTheUserOutAndEnablingLetsThemBackIn() {
        String victim = People.add(context, "victim", Role.HELPDESK);
        WebSession victimSession = WebSession.signedIn(port, victim, People.PASSWORD);
        assertThat(victimSession.get("/account/tokens").status()).isEqualTo(200);

        Page disabled = web.post("/admin/users/" + victim + "/disable", Map.of());

        assertThat(web.follow(disabled).body()).contains(victim + " is disabled");
        assertThat(account(victim).disabled()).isTrue();
        assertThat(victimSession.get("/account/tokens").location()).contains("/login?ended");
        assertThat(new WebSession(port).signIn(victim, People.PASSWORD).location()).contains("error");
        assertThat(audited("user.disable", victim)).isEqualTo(1);

        web.post("/admin/users/" + victim + "/enable", Map.of());

        assertThat(account(victim).disabled()).isFalse();
        assertThat(new WebSession(port).signIn(victim, People.PASSWORD).redirectsTo("/")).isTrue();
        assertThat(audited("user.enable", victim)).isEqualTo(1);
    }

    @Test
    void anAdminCannotDisableThemself() {
        Page refused = web.follow(web.post("/admin/users/" + admin + "/disable", Map.of()));

        assertThat(refused.body()).contains("You cannot disable your own account");
        assertThat(account(admin).disabled()).isFalse();
    }

    @Test
    void changedRolesApplyToTheOpenSessionAtOnce() {
        String user = People.add(context, "promoted");
        WebSession session = WebSession.signedIn(port, user, People.PASSWORD);
        assertThat(session.get("/").redirectsTo("/self-service")).isTrue();

        web.post("/admin/users/" + user + "/roles", Map.of("roles", "AUDITOR"));

        assertThat(account(user).roles()).containsExactly(Role.AUDITOR);
        assertThat(session.get("/").redirectsTo("/dashboard")).isTrue();
        assertThat(session.get("/audit").status()).isEqualTo(200);
        assertThat(audited("user.roles", user)).isEqualTo(1);
    }

    @Test
    void aTemporaryPasswordReplacesTheOldOneAndMustBeChanged() {
        String user = People.add(context, "forgetful", Role.HELPDESK);

        web.post("/admin/users/" + user + "/password", Map.of("password", "a temporary one here"));

        assertThat(new WebSession(port).signIn(user, People.PASSWORD).location()).contains("error");
        assertThat(new WebSession(port).signIn(user, "a temporary one here").redirectsTo("/account/password")).isTrue();
        assertThat(audited("user.reset-password", user)).isEqualTo(1);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%temporary one here%'").query(Long.class).single())
                .isZero();
    }

    @Test
    void nonAdminsCannotChangeUsers() {
        String helper = People.add(context, "helper", Role.HELPDESK, Role.AUDITOR);
        String target = People.add(context, "target", Role.HELPDESK);
        WebSession other = WebSession.signedIn(port, helper, People.PASSWORD);

        assertThat(other.post("/admin/users/" + target + "/disable", Map.of()).status()).isEqualTo(403);
        assertThat(other.get("/admin/users").status()).isEqualTo(403);
        assertThat(account(target).disabled()).isFalse();
    }
}
