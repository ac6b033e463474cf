package com.lockkeeper.web;

import static com.lockkeeper.web.RoleMatrixTest.Answer.FORBIDDEN;
import static com.lockkeeper.web.RoleMatrixTest.Answer.HOME;
import static com.lockkeeper.web.RoleMatrixTest.Answer.OK;
import static com.lockkeeper.web.RoleMatrixTest.Answer.REACHED;
import static com.lockkeeper.web.RoleMatrixTest.Answer.SIGN_IN;
import static com.lockkeeper.web.RoleMatrixTest.Answer.UNAUTHORIZED;
import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.testing.People;
import com.lockkeeper.testing.WebServerTest;
import com.lockkeeper.testing.WebSession;
import com.lockkeeper.testing.WebSession.Page;
import com.lockkeeper.tokens.ApiTokens;
import com.lockkeeper.users.Role;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/**
 * Every page and every API endpoint, called by every kind of caller, against one table that
 * says who may do what (the "Sign-in and roles"):
 * HELPDESK searches and reveals; ADVANCED_HELPDESK also downloads key packages; AUDITOR reads
 * the audit log and the reports and never reveals; ADMIN manages users, reads the reports and reveals only with a
 * helpdesk role; ADVANCED_HELPDESK and ADMIN close post-recovery analyses, which AUDITOR reads;
 * end users have self-service and their account. Devices escrow and nothing else; personal
 * tokens carry their user's roles on the staff API and never escrow. Pages take sessions and
 * ignore tokens; the API takes tokens and ignores sessions.
 *
 * <p>Answers: SIGN_IN (302 to the sign-in page), UNAUTHORIZED (401), FORBIDDEN (403), OK (200),
 * HOME (302 elsewhere than sign-in), REACHED (past security: the application answered, say 200,
 * 400 or 404, but not 401/403/sign-in).
 */
@WebServerTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoleMatrixTest {

    enum Answer { SIGN_IN, UNAUTHORIZED, FORBIDDEN, OK, HOME, REACHED }

    /** The people: signed in to the web with a session, or presenting their personal token to the API. */
    enum Person {
        END_USER(), HELPDESK(Role.HELPDESK), ADVANCED(Role.ADVANCED_HELPDESK), AUDITOR(Role.AUDITOR), ADMIN(Role.ADMIN),
        ADMIN_HELPDESK(Role.ADMIN, Role.HELPDESK);

        final Role[] roles;

        Person(Role... roles) {
            this.roles = roles;
        }
    }

    record Row(boolean api, String method, String path, Map<String, String> form, List<Answer> answers) {

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    // Pages, called with a session.  anonymous | END_USER | HELPDESK | ADVANCED | AUDITOR | ADMIN | ADMIN_HELPDESK
    static final List<Row> PAGES = List.of(
            page("GET /login",                     OK,      OK,      OK,      OK,      OK,      OK,      OK),
            page("GET /css/lockkeeper.css",        OK,      OK,      OK,      OK,      OK,      OK,      OK),
            page("GET /helpdesk",                  SIGN_IN, FORBIDDEN, OK,    OK,      FORBIDDEN, FORBIDDEN, OK),
            page("POST /helpdesk/computer",        SIGN_IN, FORBIDDEN, REACHED, REACHED, FORBIDDEN, FORBIDDEN, REACHED),
            page("POST /helpdesk/search-id",       SIGN_IN, FORBIDDEN, REACHED, REACHED, FORBIDDEN, FORBIDDEN, REACHED),
            page("GET /helpdesk/identity",         SIGN_IN, FORBIDDEN, HOME,  HOME,    FORBIDDEN, FORBIDDEN, HOME),
            page("GET /helpdesk/key",              SIGN_IN, FORBIDDEN, HOME,  HOME,    FORBIDDEN, FORBIDDEN, HOME),
            page("GET /helpdesk/reason",           SIGN_IN, FORBIDDEN, HOME,  HOME,    FORBIDDEN, FORBIDDEN, HOME),
            page("GET /helpdesk/reveal",           SIGN_IN, FORBIDDEN, HOME,  HOME,    FORBIDDEN, FORBIDDEN, HOME),
            page("POST /helpdesk/reveal",          SIGN_IN, FORBIDDEN, REACHED, REACHED, FORBIDDEN, FORBIDDEN, REACHED),
            page("POST /helpdesk/reveal/key-package", SIGN_IN, FORBIDDEN, FORBIDDEN, REACHED, FORBIDDEN, FORBIDDEN, FORBIDDEN),
            page("GET /self-service",              SIGN_IN, OK,      OK,      OK,      OK,      OK,      OK),
            page("POST /self-service/reveal",      SIGN_IN, REACHED, REACHED, REACHED, REACHED, REACHED, REACHED),
            page("GET /",                          SIGN_IN, HOME,    HOME,    HOME,    HOME,    HOME,    HOME),
            page("GET /account/tokens",            SIGN_IN, OK,      OK,      OK,      OK,      OK,      OK),
            page("POST /account/tokens",           SIGN_IN, OK,      OK,      OK,      OK,      OK,      OK),
            page("POST /account/tokens/999999/revoke", SIGN_IN, HOME, HOME,   HOME,    HOME,    HOME,    HOME),
            page("GET /account/password",          SIGN_IN, OK,      OK,      OK,      OK,      OK,      OK),
            page("POST /account/password",         SIGN_IN, OK,      OK,      OK,      OK,      OK,      OK),
            page("GET /admin/users",               SIGN_IN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK),
            page("POST /admin/users",              SIGN_IN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK),
            page("POST /admin/users/nobody-matrix/disable", SIGN_IN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, HOME, HOME),
            page("POST /admin/users/nobody-matrix/password", SIGN_IN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, HOME, HOME),
            page("GET /admin/tokens",              SIGN_IN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK),
            page("POST /admin/tokens",             SIGN_IN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK),
            page("POST /admin/tokens/999999/revoke", SIGN_IN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, HOME, HOME),
            page("GET /admin/devices",             SIGN_IN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK),
            page("POST /admin/devices/999999/approve", SIGN_IN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, HOME, HOME),
            page("POST /admin/devices/999999/revoke", SIGN_IN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, HOME, HOME),
            page("GET /audit",                     SIGN_IN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK,     FORBIDDEN, FORBIDDEN),
            // Key lifecycle: rotation requests are for admins.
            page("GET /admin/rotations",           SIGN_IN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK),
            page("POST /admin/rotations",          SIGN_IN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK),
            // Post-recovery analysis and reports: AUDITOR and ADMIN read; ADVANCED_HELPDESK and ADMIN close analyses.
            page("GET /reports",                   SIGN_IN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK,     OK,     OK),
            page("GET /reports/recovery-audit",    SIGN_IN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK,     OK,     OK),
            page("GET /reports/recovery-audit.csv", SIGN_IN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK,    OK,     OK),
            page("GET /reports/enterprise-compliance.json", SIGN_IN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK, OK),
            page("GET /reports/no-such-report",    SIGN_IN, FORBIDDEN, FORBIDDEN, FORBIDDEN, REACHED, REACHED, REACHED),
            page("GET /analysis",                  SIGN_IN, FORBIDDEN, FORBIDDEN, OK,      OK,     OK,     OK),
            page("GET /analysis/computers/999999", SIGN_IN, FORBIDDEN, FORBIDDEN, REACHED, REACHED, REACHED, REACHED),
            page("POST /analysis/999999/close",    SIGN_IN, FORBIDDEN, FORBIDDEN, REACHED, FORBIDDEN, REACHED, REACHED),
            page("GET /no-such-page",              SIGN_IN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN));

    // The API, called with a token.  no token | device | END_USER | HELPDESK | ADVANCED | AUDITOR | ADMIN | ADMIN_HELPDESK
    static final List<Row> API = List.of(
            api("POST /api/v1/escrow",             UNAUTHORIZED, REACHED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
            api("POST /api/v1/devices/enroll",     UNAUTHORIZED, REACHED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
            api("GET /api/v1/computers?name=PC1",  UNAUTHORIZED, FORBIDDEN, FORBIDDEN, REACHED, REACHED, FORBIDDEN, FORBIDDEN, REACHED),
            api("GET /api/v1/recovery-keys?id=12345678", UNAUTHORIZED, FORBIDDEN, FORBIDDEN, REACHED, REACHED, FORBIDDEN, FORBIDDEN, REACHED),
            api("POST /api/v1/recovery-keys/12345678/reveal", UNAUTHORIZED, FORBIDDEN, FORBIDDEN, REACHED, REACHED, FORBIDDEN, FORBIDDEN, REACHED),
            api("POST /api/v1/recovery-keys/12345678/key-package", UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, REACHED, FORBIDDEN, FORBIDDEN, FORBIDDEN),
            // Key lifecycle: devices check in and report events; admins request rotations and follow them.
            api("POST /api/v1/checkin",            UNAUTHORIZED, REACHED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
            api("POST /api/v1/events",             UNAUTHORIZED, REACHED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
            api("GET /api/v1/rotations",           UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK),
            api("POST /api/v1/rotations",          UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, REACHED, REACHED),
            api("GET /api/v1/audit",               UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN),
            api("GET /api/v1/users",               UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
            api("GET /healthz",                    OK,      OK,      OK,      OK,      OK,      OK,      OK,      OK));

    static Row page(String request, Answer... answers) {
        assertThat(answers).hasSize(1 + Person.values().length);
        return row(false, request, answers);
    }

    static Row api(String request, Answer... answers) {
        assertThat(answers).hasSize(2 + Person.values().length);
        return row(true, request, answers);
    }

    static Row row(boolean api, String request, Answer... answers) {
        String[] parts = request.split(" ", 2);
        return new Row(api, parts[0], parts[1], Map.of(), List.of(answers));
    }

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    final Map<Person, WebSession> sessions = new EnumMap<>(Person.class);
    final Map<Person, String> tokens = new EnumMap<>(Person.class);
    String deviceToken;
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    void people() {
        for (Person person : Person.values()) {
            String username = People.add(context, "matrix-" + person.name().toLowerCase().replace('_', '-'), person.roles);
            sessions.put(person, WebSession.signedIn(port, username, People.PASSWORD));
            tokens.put(person, People.token(context, username));
        }
        deviceToken = context.getBean(ApiTokens.class).createEnrollmentToken("matrix-device", Actor.system("test")).secret();
    }

    Stream<Arguments> pageCalls() {
        List<Arguments> calls = new ArrayList<>();
        for (Row row : PAGES) {
            calls.add(Arguments.of(row, "anonymous", row.answers().get(0)));
            for (Person person : Person.values()) {
                calls.add(Arguments.of(row, "session of " + person, row.answers().get(1 + person.ordinal())));
                // A token is not a sign-in for pages: it is treated as no one.
                calls.add(Arguments.of(row, "token of " + person, row.answers().get(0)));
            }
            calls.add(Arguments.of(row, "device token", row.answers().get(0)));
        }
        return calls.stream();
    }

    Stream<Arguments> apiCalls() {
        List<Arguments> calls = new ArrayList<>();
        for (Row row : API) {
            calls.add(Arguments.of(row, "anonymous", row.answers().get(0)));
            calls.add(Arguments.of(row, "device token", row.answers().get(1)));
            for (Person person : Person.values()) {
                calls.add(Arguments.of(row, "token of " + person, row.answers().get(2 + person.ordinal())));
                // A session is not a credential for the API: it is treated as no token.
                calls.add(Arguments.of(row, "session of " + person, row.answers().get(0)));
            }
        }
        return calls.stream();
    }

    @ParameterizedTest(name = "{0} as {1} -> {2}")
    @MethodSource("pageCalls")
    void pagesAnswerEachCallerAsIntended(Row row, String caller, Answer expected) {
        assertAnswer(call(row, caller), expected);
    }

    @ParameterizedTest(name = "{0} as {1} -> {2}")
    @MethodSource("apiCalls")
    void apiEndpointsAnswerEachCallerAsIntended(Row row, String caller, Answer expected) {
        Page page = call(row, caller);
        assertAnswer(page, expected);
        if (expected == UNAUTHORIZED || expected == FORBIDDEN) {
            assertThat(page.contentType()).startsWith("application/problem+json");
        }
    }

    Page call(Row row, String caller) {
        if (caller.startsWith("session of ")) {
            WebSession session = sessions.get(Person.valueOf(caller.substring("session of ".length())));
            if (row.method().equals("GET") && !row.api()) {
                return session.get(row.path());
            }
            return row.api() ? session.send(json(row, null).build()) : session.post(row.path(), row.form());
        }
        String token = caller.equals("anonymous") ? null
                : caller.equals("device token") ? deviceToken
                : tokens.get(Person.valueOf(caller.substring("token of ".length())));
        HttpRequest.Builder request = row.api() || row.method().equals("GET") ? json(row, token)
                : form(row, token);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Page(response.statusCode(), response.headers().firstValue("Location").orElse(null),
                    response.headers().firstValue("Content-Type").orElse(""), response.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    HttpRequest.Builder json(Row row, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + row.path()))
                .header("Accept", row.api() ? "application/json" : "text/html");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return row.method().equals("GET") ? request.GET()
                : request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"));
    }

    HttpRequest.Builder form(Row row, String token) {
        String body = row.form().entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + row.path()))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "text/html")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    static void assertAnswer(Page page, Answer expected) {
        boolean toSignIn = page.status() == 302 && page.location() != null && URI.create(page.location()).getPath().equals("/login");
        String actual = page.status() + (page.location() == null ? "" : " -> " + page.location());
        switch (expected) {
            case SIGN_IN -> assertThat(toSignIn).as(actual).isTrue();
            case UNAUTHORIZED -> assertThat(page.status()).as(actual).isEqualTo(401);
            case FORBIDDEN -> assertThat(page.status()).as(actual).isEqualTo(403);
            case OK -> assertThat(page.status()).as(actual).isEqualTo(200);
            case HOME -> assertThat(page.status() == 302 && !toSignIn).as(actual).isTrue();
            case REACHED -> assertThat(page.status() != 401 && page.status() != 403 && !toSignIn).as(actual).isTrue();
        }
    }
}
