package com.lockkeeper.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.testing.Installations;
import com.lockkeeper.testing.People;
import com.lockkeeper.testing.TestDatabase;
import com.lockkeeper.testing.WebSession;
import com.lockkeeper.users.Role;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Guesses sent all at once are throttled like guesses sent one after another: the limit is the number of password checks. */
class SignInRaceTest {

    static final int LIMIT = 5;
    static final int GUESSES = 40;

    @TempDir
    Path dataDir;

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void simultaneousGuessesGetNoMorePasswordChecksThanTheLimit(TestDatabase database) throws Exception {
        List<String> args = new ArrayList<>(List.of(database.newInstallation()));
        args.add("--lockkeeper.web.signin-throttle.max-failures=" + LIMIT);
        args.add("--lockkeeper.web.signin-throttle.max-failures-per-address=1000");
        try (ConfigurableApplicationContext server = Installations.webServer(dataDir, "race", args.toArray(String[]::new))) {
            int port = Installations.port(server);
            String victim = People.add(server, "race", Role.HELPDESK);

            List<WebSession> sessions = new ArrayList<>();
            for (int i = 0; i < GUESSES; i++) {
                WebSession session = new WebSession(port);
                session.get("/login"); // its CSRF token, fetched before the race starts
                sessions.add(session);
            }
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService guessers = Executors.newFixedThreadPool(GUESSES);
            List<Future<WebSession.Page>> answers = new ArrayList<>();
            for (int i = 0; i < GUESSES; i++) {
                WebSession session = sessions.get(i);
                String guess = "wrong guess number " + i;
                answers.add(guessers.submit(() -> {
                    start.await();
                    return session.signIn(victim, guess);
                }));
            }
            start.countDown();
            for (Future<WebSession.Page> answer : answers) {
                assertThat(answer.get().location()).contains("/login");
            }
            guessers.shutdown();

            JdbcClient jdbc = server.getBean(JdbcClient.class);
            long passwordChecks = audited(jdbc, victim, "wrong user name or password");
            long throttled = audited(jdbc, victim, "throttled");
            assertThat(passwordChecks).as("password checks among %d simultaneous guesses", GUESSES).isLessThanOrEqualTo(LIMIT);
            assertThat(throttled).as("guesses refused without a password check").isGreaterThanOrEqualTo(GUESSES - LIMIT);

            // The right password, sent after them, is checked only if the race left fewer failures
            // than the limit (concurrent guesses that each saw the others are all refused unchecked
            // and count for nothing). The race holds only wrong guesses: a success resets the count.
            WebSession.Page late = new WebSession(port).signIn(victim, People.PASSWORD);
            if (passwordChecks == LIMIT) {
                assertThat(late.location()).as("the right password after the limit is still refused").contains("/login");
                assertThat(audited(jdbc, victim, "throttled")).isEqualTo(throttled + 1);
            } else {
                assertThat(late.location()).as("the right password under the limit signs in").doesNotContain("/login");
            }
        }
    }

    static long audited(JdbcClient jdbc, String username, String why) {
        return jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'signin' AND target = :t AND outcome = 'refused'"
                        + " AND detail LIKE :d")
                .param("t", "user " + username).param("d", why + "%").query(Long.class).single();
    }
}
