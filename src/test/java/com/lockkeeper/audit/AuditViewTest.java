package com.lockkeeper.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.testing.ApiClient;
import com.lockkeeper.testing.ApiClient.Response;
import com.lockkeeper.testing.People;
import com.lockkeeper.testing.WebServerTest;
import com.lockkeeper.testing.WebSession;
import com.lockkeeper.testing.WebSession.Page;
import com.lockkeeper.users.Role;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;

/** The auditor's audit-log page and GET /api/v1/audit: filters, paging, bad filters, read-only. */
@WebServerTest
class AuditViewTest {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    AuditLog audit;

    Response api(String token, String query) {
        ApiClient api = new ApiClient(port);
        return api.send(HttpRequest.newBuilder(URI.create(api.base() + "/api/v1/audit" + query))
                .header("Authorization", "Bearer " + token).GET().build());
    }

    @Test
    void theApiFiltersByActorActionAndDateAndPages() {
        String marker = "probe" + UUID.randomUUID().toString().substring(0, 6);
        for (int i = 0; i < 5; i++) {
            audit.record(AuditEntry.success(Actor.user(marker), "test.filtered", "thing " + i, "detail " + i));
        }
        audit.record(AuditEntry.success(Actor.user(marker), "other.action", "thing", "detail"));
        String token = People.token(context, People.add(context, "auditor", Role.AUDITOR));
        String today = LocalDate.now(ZoneOffset.UTC).toString();

        Response first = api(token, "?actor=" + marker.toUpperCase() + "&action=test.&from=" + today + "&to=" + today + "&size=3");
        Response second = api(token, "?actor=" + marker + "&action=test.&size=3&page=1");
        Response yesterday = api(token, "?actor=" + marker + "&to=" + LocalDate.now(ZoneOffset.UTC).minusDays(1));

        assertThat(first.status()).isEqualTo(200);
        JsonNode body = first.json();
        assertThat(body.path("records")).hasSize(3);
        assertThat(body.path("hasNext").asBoolean()).isTrue();
        assertThat(body.path("records").get(0).path("target").asString()).isEqualTo("thing 4");
        assertThat(body.path("records").get(0).path("actor").asString()).isEqualTo("user:" + marker);
        assertThat(second.json().path("records")).hasSize(2);
        assertThat(second.json().path("hasNext").asBoolean()).isFalse();
        assertThat(yesterday.json().path("records")).isEmpty();
    }

    @Test
    void aBadFilterIsA400NamingTheField() {
        String token = People.token(context, People.add(context, "auditor", Role.AUDITOR));

        Response response = api(token, "?from=23.11.2026");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().path("errors").get(0).path("field").asString()).isEqualTo("from");
        assertThat(api(token, "?from=2026-11-23&to=2026-11-01").json().path("errors").get(0).path("field").asString())
                .isEqualTo("to");
        assertThat(api(token, "?size=5000").status()).isEqualTo(400);
    }

    @Test
    void thePageShowsFilteredRecordsAndSaysWhatIsWrongWithAFilter() {
        String marker = "pageprobe" + UUID.randomUUID().toString().substring(0, 6);
        audit.record(AuditEntry.refused(Actor.user(marker), "test.page", "the target", "why it was refused"));
        WebSession web = WebSession.signedIn(port, People.add(context, "auditor", Role.AUDITOR), People.PASSWORD);

        Page page = web.get("/audit?actor=" + marker);
        Page bad = web.get("/audit?from=yesterday");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("user:" + marker, "test.page", "the target", "refused", "why it was refused",
                "<label for=\"actor\">");
        assertThat(bad.body()).contains("role=\"alert\"", "A date as YYYY-MM-DD");
    }

    @Test
    void theAuditLogIsForAuditorsOnly() {
        String token = People.token(context, People.add(context, "admin", Role.ADMIN, Role.HELPDESK));
        WebSession web = WebSession.signedIn(port, People.add(context, "desk", Role.HELPDESK, Role.ADVANCED_HELPDESK), People.PASSWORD);

        assertThat(api(token, "").status()).isEqualTo(403);
        assertThat(web.get("/audit").status()).isEqualTo(403);
    }
}
