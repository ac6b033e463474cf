package com.lockkeeper.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.testing.DatabaseServer;
import com.lockkeeper.testing.DeviceSimulator;
import com.lockkeeper.testing.People;
import com.lockkeeper.testing.ServerPerDatabase;
import com.lockkeeper.testing.WebSession;
import com.lockkeeper.users.Role;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.session.SessionManagementFilter;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;

/**
 * The staff and device APIs are stateless: a signed-in web session does not authenticate an API
 * call (so a page cannot be made to call the API with the browser's cookie), and an API call
 * neither creates a web session nor reads or touches one it is sent with.
 */
@ParameterizedClass(name = "on {0}")
@ServerPerDatabase
class StatelessApiTest {

    @Parameter
    DatabaseServer server;

    @Test
    void aSignedInSessionCookieAloneDoesNotAuthenticateAnApiCall() {
        String helpdesk = People.add(server.context(), "cookie-only", Role.ADVANCED_HELPDESK, Role.AUDITOR, Role.ADMIN);
        WebSession web = WebSession.signedIn(server.port(), helpdesk, People.PASSWORD);
        assertThat(web.get("/helpdesk").status()).as("the session is signed in").isEqualTo(200);

        for (HttpRequest request : List.of(
                api(web, "/api/v1/computers?name=NOPE-1").GET().build(),
                api(web, "/api/v1/recovery-keys?id=12345678").GET().build(),
                api(web, "/api/v1/audit/events").GET().build(),
                api(web, "/api/v1/recovery-keys/" + UUID.randomUUID() + "/reveal").header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                api(web, "/api/v1/escrow").header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build())) {
            WebSession.Page answer = web.send(request);
            assertThat(answer.status()).as("%s %s with only the session cookie", request.method(), request.uri().getPath())
                    .isEqualTo(401);
        }
    }

    @Test
    void anApiCallCreatesNoSessionAndLeavesTheOneItCarriesUntouched() throws Exception {
        String helpdesk = People.add(server.context(), "stateless", Role.HELPDESK);
        String token = People.token(server.context(), helpdesk);
        WebSession web = WebSession.signedIn(server.port(), helpdesk, People.PASSWORD);
        String sessionId = new String(Base64.getDecoder().decode(web.cookie("SESSION").orElseThrow()), StandardCharsets.US_ASCII);
        long lastAccess = lastAccess(sessionId);
        long sessions = server.jdbc().sql("SELECT COUNT(*) FROM spring_session").query(Long.class).single();
        DeviceSimulator device = new DeviceSimulator(server.api(), server.newEnrollmentToken(), "STATELESS-" + System.nanoTime() % 100000)
                .enrolled();
        device.addVolume("OperatingSystem");
        Thread.sleep(20); // a touched session would get a later last access time

        HttpClient plain = HttpClient.newHttpClient();
        String cookie = "SESSION=" + web.cookie("SESSION").orElseThrow();
        for (Map<String, String> headers : List.of(Map.of("Authorization", "Bearer " + token),
                Map.of("Authorization", "Bearer " + token, "Cookie", cookie))) {
            HttpRequest.Builder lookup = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                    + "/api/v1/computers?name=" + device.computer()));
            headers.forEach(lookup::header);
            HttpResponse<String> answer = plain.send(lookup.GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(answer.headers().allValues("Set-Cookie")).as("cookies set by an API call with %s", headers.keySet()).isEmpty();
        }
        assertThat(device.escrowAll()).isNotEmpty().allMatch(status -> status == 200 || status == 201);
        assertThat(device.checkinResponse().status()).isEqualTo(200);

        assertThat(server.jdbc().sql("SELECT COUNT(*) FROM spring_session").query(Long.class).single())
                .as("web sessions after API calls").isEqualTo(sessions);
        assertThat(lastAccess(sessionId)).as("the session the API call carried was not read or saved").isEqualTo(lastAccess);
    }

    @Test
    void theApiChainsKeepNoSessionStateAndAcceptNoCookieAuthentication() {
        FilterChainProxy security = server.bean(FilterChainProxy.class);
        for (String path : List.of("/api/v1/computers", "/api/v1/escrow", "/api/v1/checkin", "/api/v1/devices/enroll")) {
            MockHttpServletRequest request = new MockHttpServletRequest(
                    ((WebApplicationContext) server.context()).getServletContext(), "POST", path);
            SecurityFilterChain chain = security.getFilterChains().stream().filter(c -> c.matches(request)).findFirst().orElseThrow();
            List<Class<?>> filters = chain.getFilters().stream().<Class<?>>map(Object::getClass).toList();
            assertThat(filters).as("the filters for %s", path).contains(AuthorizationFilter.class)
                    .doesNotContain(SessionManagementFilter.class, CsrfFilter.class,
                            UsernamePasswordAuthenticationFilter.class, BasicAuthenticationFilter.class);
        }
    }

    private long lastAccess(String sessionId) {
        return server.jdbc().sql("SELECT last_access_time FROM spring_session WHERE session_id = :id").param("id", sessionId)
                .query(Long.class).single();
    }

    private static HttpRequest.Builder api(WebSession web, String path) {
        return HttpRequest.newBuilder(URI.create(web.base() + path)).header("Accept", "application/json");
    }
}
