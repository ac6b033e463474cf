package com.lockkeeper.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.testing.ApiClient;
import com.lockkeeper.testing.People;
import com.lockkeeper.testing.WebServerTest;
import com.lockkeeper.testing.WebSession;
import com.lockkeeper.testing.WebSession.Page;
import com.lockkeeper.users.Role;
import com.lockkeeper.users.UserAccounts;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/** Form sign-in with local accounts on a real server: the sign-in page, errors, the start page by role, sign-out, CSRF. */
@WebServerTest
class SignInTest {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Test
    void signInPageHasLabelledFieldsAndACsrfToken() {
        WebSession web = new WebSession(port);
        Page page = web.get("/login");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<label for=\"username\">", "<label for=\"password\">", "Skip to main content",
                "/css/lockkeeper.css");
        assertThat(web.csrfToken()).isNotBlank();
        assertThat(web.get("/css/lockkeeper.css").status()).isEqualTo(200);
    }

    @Test
    void anonymousPagesRedirectToSignIn() {
        WebSession web = new WebSession(port);

        assertThat(web.get("/").redirectsTo("/login")).isTrue();
        assertThat(web.get("/helpdesk").redirectsTo("/login")).isTrue();
        assertThat(web.get("/account/password").redirectsTo("/login")).isTrue();
    }

    @ParameterizedTest
    @CsvSource({
            "HELPDESK, /helpdesk",
            "ADVANCED_HELPDESK, /helpdesk",
            "AUDITOR, /dashboard",
            "ADMIN, /dashboard",
            "'', /self-service"})
    void signingInLeadsToTheStartPageOfTheRole(String role, String home) {
        String username = role.isEmpty() ? People.add(context, "enduser") : People.add(context, "staff", Role.valueOf(role));
        WebSession web = new WebSession(port);

        Page signedIn = web.signIn(username, People.PASSWORD);

        assertThat(signedIn.redirectsTo("/")).isTrue();
        assertThat(web.get("/").redirectsTo(home)).isTrue();
        Page login = web.get("/login");
        assertThat(login.body()).contains("Signed in as", username, "Sign out");
    }

    @Test
    void aSavedRequestIsWhereSignInLeads() {
        String username = People.add(context, "helper", Role.HELPDESK);
        WebSession web = new WebSession(port);
        web.get("/helpdesk/search");

        Page signedIn = web.signIn(username, People.PASSWORD);

        assertThat(signedIn.locationPath()).startsWith("/helpdesk/search");
    }

    @Test
    void aWrongPasswordIsRefusedWithAHelpfulMessageAndTheNameKept() {
        String username = People.add(context, "typo", Role.HELPDESK);
        WebSession web = new WebSession(port);

        Page refused = web.signIn(username, "not the password at all");

        assertThat(refused.redirectsTo("/login")).isTrue();
        assertThat(refused.location()).doesNotContain(username);
        Page page = web.follow(refused);
        assertThat(page.body()).contains("role=\"alert\"", "The user name or password is not right", "Caps Lock",
                "value=\"" + username + "\"");
        assertThat(page.body()).doesNotContain("not the password at all");
        assertThat(web.get("/").redirectsTo("/login")).isTrue();
    }

    @Test
    void anUnknownUserGetsTheSameAnswerAsAWrongPassword() {
        WebSession web = new WebSession(port);

        Page page = web.follow(web.signIn("nobody-by-this-name", "whatever it may be"));

        assertThat(page.body()).contains("The user name or password is not right");
    }

    @Test
    void aDisabledAccountCannotSignIn() {
        String username = People.add(context, "leaver", Role.HELPDESK);
        context.getBean(UserAccounts.class).setDisabled(username, true, Actor.system("test"));

        Page refused = new WebSession(port).signIn(username, People.PASSWORD);

        assertThat(refused.redirectsTo("/login")).isTrue();
        assertThat(refused.location()).contains("error");
    }

    @Test
    void signInWithoutTheCsrfTokenIsRefused() {
        String username = People.add(context, "forged", Role.HELPDESK);
        WebSession web = new WebSession(port);
        web.get("/login");

        Page forged = web.postExactly("/login", Map.of("username", username, "password", People.PASSWORD));

        assertThat(forged.status()).isEqualTo(403);
        assertThat(web.get("/").redirectsTo("/login")).isTrue();
    }

    @Test
    void signOutEndsTheSession() {
        String username = People.add(context, "leaving", Role.AUDITOR);
        WebSession web = WebSession.signedIn(port, username, People.PASSWORD);

        Page out = web.post("/logout", Map.of());

        assertThat(out.redirectsTo("/login")).isTrue();
        assertThat(web.follow(out).body()).contains("You have signed out");
        assertThat(web.get("/").redirectsTo("/login")).isTrue();
        assertThat(context.getBean(org.springframework.jdbc.core.simple.JdbcClient.class)
                .sql("SELECT COUNT(*) FROM audit_log WHERE action = 'signout' AND actor = :a").param("a", "user:" + username)
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void pagesAllowOnlyTheirOwnScriptsAndStylesAndAreNeverFramed() throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + "/login")).build(), java.net.http.HttpResponse.BodyHandlers.discarding());

        assertThat(response.headers().firstValue("Content-Security-Policy")).get().asString()
                .contains("script-src 'self'", "frame-ancestors 'none'");
        assertThat(response.headers().firstValue("X-Frame-Options")).contains("DENY");
    }

    @Test
    void aRoleWithoutAccessGetsAForbiddenPage() {
        String username = People.add(context, "plain");
        WebSession web = WebSession.signedIn(port, username, People.PASSWORD);

        Page page = web.get("/admin/users");

        assertThat(page.status()).isEqualTo(403);
        assertThat(page.body()).contains("Not allowed");
    }

    @Test
    void sessionsTimeOutAfter15MinutesByDefault(@Autowired jakarta.servlet.ServletContext servletContext) {
        assertThat(servletContext.getSessionTimeout()).isEqualTo(15);
    }

    @Test
    void everySignInIsAuditedWithoutThePassword(@Autowired org.springframework.jdbc.core.simple.JdbcClient jdbc) {
        String username = People.add(context, "audited", Role.AUDITOR);
        new WebSession(port).signIn(username, "a wrong password here");
        new WebSession(port).signIn(username, People.PASSWORD);

        var rows = jdbc.sql("SELECT outcome, detail FROM audit_log WHERE action = 'signin' AND target = :t ORDER BY at")
                .param("t", "user " + username).query().listOfRows();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsEntry("outcome", "refused");
        assertThat(rows.get(1)).containsEntry("outcome", "success");
        assertThat(rows.get(1).get("detail").toString()).contains("via local", "roles: AUDITOR");
        assertThat(rows.toString()).doesNotContain("a wrong password here").doesNotContain(People.PASSWORD);
    }

    @Test
    void theStaffApiAnswers401ProblemJsonWithoutAToken() {
        ApiClient.Response response = new ApiClient(port).get("/api/v1/computers?name=PC1");

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().path("detail").asString()).contains("personal access token");
    }
}
