package com.lockkeeper.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.testing.People;
import com.lockkeeper.testing.MovableClock;
import com.lockkeeper.testing.TestClock;
import com.lockkeeper.testing.WebServerTest;
import com.lockkeeper.testing.WebSession;
import com.lockkeeper.testing.WebSession.Page;
import com.lockkeeper.users.Role;
import jakarta.servlet.ServletContext;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Login throttling per user name and per client address, its audit records, and the configured session timeout. */
@Import(MovableClock.class)
@WebServerTest(properties = {
        "lockkeeper.web.signin-throttle.max-failures=3",
        "lockkeeper.web.signin-throttle.max-failures-per-address=8",
        "lockkeeper.web.signin-throttle.window=10s",
        "lockkeeper.web.session-timeout=7m"})
class SignInThrottleTest {

    static final Duration WINDOW = Duration.ofSeconds(10); // wide enough for a loaded build machine

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ServletContext servletContext;

    @Autowired
    TestClock clock;

    long audited(String username, String outcome, String detail) {
        return jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'signin' AND target = :t AND outcome = :o AND detail LIKE :d")
                .param("t", "user " + username).param("o", outcome).param("d", "%" + detail + "%").query(Long.class).single();
    }

    @Test
    void tooManyFailuresForAUserNameAndThenFromAnAddressAreRefusedForAWhileAndAudited() {
        String target = People.add(context, "target", Role.HELPDESK);
        String bystander = People.add(context, "bystander", Role.HELPDESK);
        String late = People.add(context, "late", Role.AUDITOR);

        for (int i = 0; i < 3; i++) {
            String typed = i == 0 ? target : "DOMAIN" + i + "\\" + target; // a domain prefix does not make another name
            assertThat(new WebSession(port).signIn(typed, "guess number " + i).location()).contains("error");
        }
        WebSession web = new WebSession(port);
        Page refused = web.signIn(target, People.PASSWORD);
        assertThat(refused.location()).contains("/login?error");
        assertThat(web.follow(refused).body()).contains("Too many failed sign-ins", "Wait 1 minute");
        assertThat(new WebSession(port).signIn(bystander, People.PASSWORD).redirectsTo("/"))
                .as("another user name from the same address still signs in").isTrue();

        for (int i = 0; i < 8; i++) {
            new WebSession(port).signIn("sprayed-" + i, "Password1!");
        }
        Page sprayed = new WebSession(port).signIn(late, People.PASSWORD);
        assertThat(sprayed.location()).as("the address is throttled for every name").contains("/login?error");
        assertThat(audited(late, "refused", "throttled")).isEqualTo(1);

        clock.advance(WINDOW.plusMillis(500));
        assertThat(new WebSession(port).signIn(target, People.PASSWORD).redirectsTo("/"))
                .as("after the window the right password works again").isTrue();
        assertThat(new WebSession(port).signIn(late, People.PASSWORD).redirectsTo("/")).isTrue();

        assertThat(audited(target, "refused", "wrong user name or password")).isEqualTo(1);
        assertThat(audited(target, "refused", "throttled")).isEqualTo(1);
        assertThat(audited(target, "success", "signed in via local from 127.0.0.1")).isEqualTo(1);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%guess number%' OR detail LIKE :p"
                + " OR target LIKE '%guess number%'").param("p", "%" + People.PASSWORD + "%").query(Long.class).single())
                .as("no password in the audit log").isZero();
    }

    @Test
    void theSessionTimeoutComesFromLockkeeperWebSessionTimeout() {
        assertThat(servletContext.getSessionTimeout()).isEqualTo(7);
    }

    @Test
    void anExpiredSessionLeadsToTheSignInPageWithAnExplanation() {
        // The cookie of a session the database no longer holds (Spring Session JDBC's cookie: SESSION, base64).
        WebSession web = new WebSession(port);
        Page page = web.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/helpdesk"))
                .header("Cookie", "SESSION=" + java.util.Base64.getEncoder().encodeToString(
                        "6b1f7c58-3d6e-4d0c-9a43-2f5a4f6b9e01".getBytes(java.nio.charset.StandardCharsets.US_ASCII))).header("Accept", "text/html").GET().build());

        assertThat(page.location()).contains("/login?expired");
        assertThat(web.follow(page).body()).contains("Your session ended after a time without activity");
    }
}
