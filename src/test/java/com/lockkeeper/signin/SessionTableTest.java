package com.lockkeeper.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.testing.Installations;
import com.lockkeeper.testing.People;
import com.lockkeeper.testing.DatabaseServer;
import com.lockkeeper.testing.ServerPerDatabase;
import com.lockkeeper.tokens.ApiTokens;
import com.lockkeeper.users.Role;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The web session table holds sessions, not secrets: a token sent to a page (a script pointed
 * at the wrong URL, a browser extension) must not be saved with the request Spring Security
 * remembers for after sign-in. And the sign-in redirect never trusts the Host header.
 */
@ParameterizedClass(name = "on {0}")
@ServerPerDatabase
class SessionTableTest {

    @Parameter
    DatabaseServer shared;

    @Test
    void aTokenSentToAPageIsNotSavedInTheSessionTable() throws Exception {
        ConfigurableApplicationContext server = shared.context();
        String helpdesk = People.add(server, "sessions", Role.HELPDESK);
        String personal = People.token(server, helpdesk);
        String enrollment = server.getBean(ApiTokens.class).createEnrollmentToken("sessions-test", Actor.system("test")).secret();

        for (String token : List.of(personal, enrollment)) {
            HttpResponse<String> response = get(server, "/helpdesk?step=1", Map.of("Authorization", "Bearer " + token));
            assertThat(response.statusCode()).as("a page asks for sign-in").isEqualTo(302);
            assertThat(response.headers().firstValue("Set-Cookie")).as("a session was made to remember the page").isPresent();
        }

        JdbcClient jdbc = server.getBean(JdbcClient.class);
        List<byte[]> attributes = jdbc.sql("SELECT attribute_bytes FROM spring_session_attributes").query(byte[].class).list();
        assertThat(attributes).as("session attributes were stored").isNotEmpty();
        for (byte[] bytes : attributes) {
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            assertThat(text).doesNotContain(personal.substring(4)).doesNotContain(enrollment.substring(4))
                    .doesNotContainIgnoringCase("authorization").doesNotContain("Bearer");
        }
    }

    @Test
    void theSignInRedirectIsRelativeWhateverTheHostHeaderSays() throws Exception {
        ConfigurableApplicationContext server = shared.context();
        for (String page : List.of("/", "/helpdesk", "/admin/users", "/self-service")) {
            String head = rawGet(Installations.port(server), page, "evil.example");
            assertThat(head).as("where %s sends a signed-out user", page).startsWith("HTTP/1.1 302")
                    .containsPattern("(?im)^Location: /login\\r?$").doesNotContain("evil.example");
        }
    }

    /** A GET with a Host header of the caller's choosing (the JDK's HTTP client will not send one), its status and headers. */
    static String rawGet(int port, String path, String host) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            int end = response.indexOf("\r\n\r\n");
            return end < 0 ? response : response.substring(0, end);
        }
    }

    static HttpResponse<String> get(ConfigurableApplicationContext server, String path, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + Installations.port(server) + path));
        headers.forEach(request::header);
        return HttpClient.newHttpClient().send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
