package com.lockkeeper.helpdesk;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.recovery.RevealDetails;
import com.lockkeeper.testing.ApiClient;
import com.lockkeeper.testing.ApiClient.Response;
import com.lockkeeper.testing.People;
import com.lockkeeper.testing.Recoveries;
import com.lockkeeper.testing.Recoveries.Escrowed;
import com.lockkeeper.testing.WebServerTest;
import com.lockkeeper.users.Role;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** The helpdesk JSON API with real personal access tokens: search, the reveal's rules, problem+json naming the field. */
@WebServerTest
class HelpdeskApiTest {

    static final String ALICE_CALLS = """
            {"requester": "CORP\\\\alice", "identityVerification": "Call back to the number on file",
             "reason": "Lost or forgotten PIN", "notes": "new PIN forgotten"}""";

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    ApiClient api;
    String helpdesk;
    String advanced;

    @BeforeEach
    void setUp() {
        api = new ApiClient(port);
        helpdesk = People.token(context, People.add(context, "hd", Role.HELPDESK));
        advanced = People.token(context, People.add(context, "adv", Role.ADVANCED_HELPDESK));
    }

    static String computer() {
        return "API-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    Response get(String path, String token) {
        return api.send(HttpRequest.newBuilder(URI.create(api.base() + path)).header("Authorization", "Bearer " + token).GET().build());
    }

    static String q(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    @Test
    void findsAComputerByDriveLabelWithItsKeysMetadataAndNoSecret() {
        String pc = computer();
        Escrowed older = Recoveries.escrow(context, pc + ".corp.example.com", "CORP\\alice", Instant.parse("2026-01-01T00:00:00Z"));
        Escrowed newer = Recoveries.escrow(context, pc, "CORP\\alice", Instant.parse("2026-02-01T00:00:00Z"));

        Response response = get("/api/v1/computers?name=" + q(pc.toLowerCase() + " C: 11/23/2026"), helpdesk);

        assertThat(response.status()).isEqualTo(200);
        JsonNode computer = response.json().path("computers").get(0);
        assertThat(response.json().path("match").asString()).isEqualTo("exact");
        assertThat(computer.path("name").asString()).isEqualTo(pc);
        assertThat(computer.path("fqdn").asString()).isEqualTo(pc.toLowerCase() + ".corp.example.com");
        assertThat(computer.path("keys").findValuesAsString("shortId")).containsExactly(newer.id().shortId(), older.id().shortId());
        assertThat(computer.path("keys").get(0).path("status").asString()).isEqualTo("active");
        assertThat(response.body()).doesNotContain(older.password().block(1)).doesNotContain(newer.password().block(1));
    }

    @Test
    void aPartialNameListsCandidatesAndNoMatchIsA404NamingTheField() {
        String stem = "APIX" + UUID.randomUUID().toString().substring(0, 4).toUpperCase();
        Recoveries.escrow(context, stem + "-1", "CORP\\alice", Instant.now());
        Recoveries.escrow(context, stem + "-2", "CORP\\alice", Instant.now());

        Response partial = get("/api/v1/computers?name=" + stem, helpdesk);
        assertThat(partial.json().path("match").asString()).isEqualTo("candidates");
        assertThat(partial.json().path("computers").findValuesAsString("name")).containsExactly(stem + "-1", stem + "-2");

        Response none = get("/api/v1/computers?name=NONE-" + stem, helpdesk);
        assertThat(none.status()).isEqualTo(404);
        assertThat(none.contentType()).startsWith("application/problem+json");
        assertThat(none.json().path("errors").get(0).path("field").asString()).isEqualTo("name");
    }

    @Test
    void theSearchByPasswordIdListsEveryMatchAndAnAmbiguousRevealNamesTheField() {
        String shared = UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        Escrowed a = Recoveries.escrow(context, computer(), "CORP\\alice", Instant.now(), Recoveries.idStartingWith(shared));
        Escrowed b = Recoveries.escrow(context, computer(), "CORP\\alice", Instant.now(), Recoveries.idStartingWith(shared));

        Response keys = get("/api/v1/recovery-keys?id=" + shared.toLowerCase(), helpdesk);
        assertThat(keys.status()).isEqualTo(200);
        assertThat(keys.json().path("keys").findValuesAsString("computer")).containsExactlyInAnyOrder(a.computer(), b.computer());

        Response ambiguous = api.post("/api/v1/recovery-keys/" + shared + "/reveal", helpdesk, ALICE_CALLS);
        assertThat(ambiguous.status()).isEqualTo(409);
        assertThat(ambiguous.json().path("errors").get(0).path("field").asString()).isEqualTo("recoveryPasswordId");
        assertThat(ambiguous.json().path("matches")).hasSize(2);
        assertThat(status(a)).isEqualTo("active");

        Response tooShort = get("/api/v1/recovery-keys?id=ABC", helpdesk);
        assertThat(tooShort.status()).isEqualTo(400);
        assertThat(tooShort.json().path("errors").get(0).path("field").asString()).isEqualTo("id");
    }

    @Test
    void aRevealAnswersThePasswordOnceAuditedAndMarksTheKeyDisclosed() {
        Escrowed key = Recoveries.escrow(context, computer(), "CORP\\alice", Instant.now());

        Response response = api.post("/api/v1/recovery-keys/" + key.id().hex().toLowerCase() + "/reveal", helpdesk, ALICE_CALLS);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("recoveryPassword").asString()).isEqualTo(key.password().reveal());
        assertThat(status(key)).isEqualTo("disclosed");
        assertThat(RevealDetails.read(jdbc.sql("SELECT detail FROM audit_log WHERE action = 'reveal' AND target = :t AND outcome = 'success'")
                .param("t", "key " + key.id()).query(String.class).single()))
                .extracting(RevealDetails::channel, RevealDetails::reason, RevealDetails::client)
                .containsExactly("helpdesk-api via token", "Lost or forgotten PIN", "127.0.0.1");
    }

    @Test
    void aMissingReasonIsNamedAndNothingIsRevealed() {
        Escrowed key = Recoveries.escrow(context, computer(), "CORP\\alice", Instant.now());

        Response response = api.post("/api/v1/recovery-keys/" + key.id().shortId() + "/reveal", helpdesk,
                "{\"requester\": \"alice\", \"identityVerification\": \"Call back to the number on file\"}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().path("errors").findValuesAsString("field")).containsExactly("reason");
        assertThat(response.body()).doesNotContain(key.password().block(1));
        assertThat(status(key)).isEqualTo("active");
    }

    @Test
    void aCallerWhoIsNotAnAssociatedUserIsRefusedForHelpdeskAndNeedsAJustificationForAdvanced() {
        Escrowed key = Recoveries.escrow(context, computer(), "CORP\\alice", Instant.now());
        String mallory = """
                {"requester": "CORP\\\\mallory", "identityVerification": "Call back to the number on file", "reason": "Unknown"}""";

        Response refused = api.post("/api/v1/recovery-keys/" + key.id().shortId() + "/reveal", helpdesk, mallory);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().path("errors").get(0).path("field").asString()).isEqualTo("requester");
        assertThat(refused.json().path("detail").asString()).contains("not an associated user");

        Response noJustification = api.post("/api/v1/recovery-keys/" + key.id().shortId() + "/reveal", advanced, mallory);
        assertThat(noJustification.status()).isEqualTo(400);
        assertThat(noJustification.json().path("errors").findValuesAsString("field")).containsExactly("justification");
        assertThat(status(key)).isEqualTo("active");

        Response allowed = api.post("/api/v1/recovery-keys/" + key.id().shortId() + "/reveal", advanced,
                mallory.replace("}", ", \"justification\": \"security team, incident 42\"}"));
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.json().path("recoveryPassword").asString()).isEqualTo(key.password().reveal());
    }

    @Test
    void anUnknownKeyIs404AndBadBodiesName400Fields() {
        Response missing = api.post("/api/v1/recovery-keys/0123456789ABCDEF0123456789ABCDEF/reveal", helpdesk, ALICE_CALLS);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().path("errors").get(0).path("field").asString()).isEqualTo("recoveryPasswordId");

        Escrowed key = Recoveries.escrow(context, computer(), "CORP\\alice", Instant.now());
        Response unknownField = api.post("/api/v1/recovery-keys/" + key.id().shortId() + "/reveal", helpdesk,
                ALICE_CALLS.replace("}", ", \"reasn\": 1}"));
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(unknownField.json().path("errors").findValuesAsString("field")).containsExactly("reasn");
        assertThat(status(key)).isEqualTo("active");
    }

    @Test
    void theKeyPackageIsForAdvancedHelpdeskOnly() {
        Escrowed key = Recoveries.escrow(context, computer(), "CORP\\alice", Instant.now());
        String path = "/api/v1/recovery-keys/" + key.id().shortId() + "/key-package";

        assertThat(api.post(path, helpdesk, ALICE_CALLS).status()).isEqualTo(403);
        Response allowed = api.post(path, advanced, ALICE_CALLS);

        assertThat(allowed.status()).isEqualTo(200);
        assertThat(new String(Base64.getDecoder().decode(allowed.json().path("keyPackage").asString())))
                .isEqualTo("key package of " + key.id());
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'reveal.key-package' AND target = :t AND outcome = 'success'")
                .param("t", "key " + key.id()).query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void wrongRolesAndNoTokenGetNothing() {
        Escrowed key = Recoveries.escrow(context, computer(), "CORP\\alice", Instant.now());
        String auditor = People.token(context, People.add(context, "aud", Role.AUDITOR));
        String admin = People.token(context, People.add(context, "adm", Role.ADMIN));
        String endUser = People.token(context, People.add(context, "user"));
        String path = "/api/v1/recovery-keys/" + key.id().shortId() + "/reveal";

        for (String token : new String[] {auditor, admin, endUser}) {
            Response response = api.post(path, token, ALICE_CALLS);
            assertThat(response.status()).isEqualTo(403);
            assertThat(response.body()).doesNotContain(key.password().block(1));
        }
        assertThat(api.post(path, null, ALICE_CALLS).status()).isEqualTo(401);
        assertThat(get("/api/v1/computers?name=" + key.computer(), auditor).status()).isEqualTo(403);
        assertThat(status(key)).isEqualTo("active");
    }

    @Test
    void theRevealAnswerIsNotCached() throws Exception {
        Escrowed key = Recoveries.escrow(context, computer(), "CORP\\alice", Instant.now());
        var response = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(api.base() + "/api/v1/recovery-keys/" + key.id().shortId() + "/reveal"))
                .header("Authorization", "Bearer " + helpdesk).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ALICE_CALLS)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().allValues("Cache-Control")).anySatisfy(v -> assertThat(v).contains("no-store"));
    }

    String status(Escrowed key) {
        return jdbc.sql("SELECT status FROM recovery_key WHERE protector_id = :id").param("id", key.id().hex())
                .query(String.class).single();
    }
}
