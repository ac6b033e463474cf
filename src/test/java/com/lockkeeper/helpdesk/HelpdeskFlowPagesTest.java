package com.lockkeeper.helpdesk;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.recovery.RevealDetails;
import com.lockkeeper.testing.People;
import com.lockkeeper.testing.Recoveries;
import com.lockkeeper.testing.Recoveries.Escrowed;
import com.lockkeeper.testing.WebServerTest;
import com.lockkeeper.testing.WebSession;
import com.lockkeeper.testing.WebSession.Page;
import com.lockkeeper.users.Role;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The five helpdesk pages over real HTTP with a signed-in session: each step's rules, and where the password may appear. */
@WebServerTest
class HelpdeskFlowPagesTest {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    /** Records every answer, so the test can show no URL or redirect ever carried the password. */
    final List<Page> seen = new ArrayList<>();

    static String computer() {
        return "WS-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    WebSession signedIn(Role... roles) {
        return WebSession.signedIn(port, People.add(context, "staff", roles), People.PASSWORD);
    }

    Page post(WebSession web, String path, Map<String, String> form) {
        Page page = web.post(path, form);
        seen.add(page);
        return page;
    }

    @Test
    void aHelpdeskUserGoesThroughTheFiveStepsForAComputerWithTwoKeys() {
        String pc = computer();
        Escrowed older = Recoveries.escrow(context, pc + ".corp.example.com", "CORP\\alice", Instant.parse("2026-03-01T08:00:00Z"));
        Escrowed newer = Recoveries.escrow(context, pc, "CORP\\alice", Instant.parse("2026-06-01T08:00:00Z"));
        WebSession web = signedIn(Role.HELPDESK);

        assertThat(web.get("/helpdesk").body()).contains("<label for=\"name\">", "aria-current=\"step\"");
        assertThat(post(web, "/helpdesk/computer", Map.of("name", pc.toLowerCase() + " C: 11/23/2026")).redirectsTo("/helpdesk/identity")).isTrue();
        assertThat(web.get("/helpdesk/identity").body()).contains(pc, "Call back to the number on file");
        assertThat(post(web, "/helpdesk/identity", Map.of("requester", "alice@corp.example.com",
                "identityVerification", "Call back to the number on file")).redirectsTo("/helpdesk/key")).isTrue();

        Page keys = web.get("/helpdesk/key");
        assertThat(keys.body()).contains("an associated user");
        assertThat(keys.body().indexOf(newer.id().shortId())).isLessThan(keys.body().indexOf(older.id().shortId()));
        Page noId = post(web, "/helpdesk/key", Map.of("recoveryPasswordId", ""));
        assertThat(noId.status()).isEqualTo(200);
        assertThat(noId.body()).contains("2 recovery keys", "8-character password ID");
        assertThat(post(web, "/helpdesk/key", Map.of("recoveryPasswordId", older.id().shortId().toLowerCase()))
                .redirectsTo("/helpdesk/reason")).isTrue();

        Page noReason = post(web, "/helpdesk/reason", Map.of("reason", "", "notes", ""));
        assertThat(noReason.body()).contains("a reason is required");
        assertThat(post(web, "/helpdesk/reason", Map.of("reason", "Lost or forgotten PIN", "notes", "new phone, forgot PIN"))
                .redirectsTo("/helpdesk/reveal")).isTrue();
        assertThat(web.get("/helpdesk/reveal").body()).contains("Reveal the recovery password").doesNotContain(older.password().block(1));

        Page revealed = post(web, "/helpdesk/reveal", Map.of());

        assertThat(revealed.status()).isEqualTo(200);
        for (int n = 1; n <= 8; n++) {
            assertThat(revealed.body()).contains(">" + older.password().block(n) + "<");
        }
        assertThat(revealed.body()).doesNotContain(newer.password().block(1)).contains("read-back-input");
        assertThat(jdbc.sql("SELECT status FROM recovery_key WHERE protector_id = :id").param("id", older.id().hex())
                .query(String.class).single()).isEqualTo("disclosed");
        assertThat(RevealDetails.read(jdbc.sql("SELECT detail FROM audit_log WHERE action = 'reveal' AND target = :t")
                .param("t", "key " + older.id()).query(String.class).single()))
                .satisfies(detail -> assertThat(detail.channel()).startsWith("helpdesk-web"))
                .extracting(RevealDetails::reason, RevealDetails::identity, RevealDetails::client)
                .containsExactly("Lost or forgotten PIN", "Call back to the number on file", "127.0.0.1");
        for (Page page : seen) {
            assertThat(String.valueOf(page.location())).doesNotContain(older.password().block(1));
        }
    }

    @Test
    void theRevealPageIsNotStoredByTheBrowser() {
        String pc = computer();
        Recoveries.escrow(context, pc, "CORP\\alice", Instant.now());
        String username = People.add(context, "staff", Role.HELPDESK);

        var response = sendReveal(username, pc);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("password-blocks");
        assertThat(response.headers().allValues("Cache-Control")).anySatisfy(v -> assertThat(v).contains("no-store"));
    }

    @Test
    void aReloadOfTheRevealDoesNotShowThePasswordAgainAndTheProcedureStartsOver() {
        String pc = computer();
        Escrowed key = Recoveries.escrow(context, pc, "CORP\\alice", Instant.now());
        String username = People.add(context, "reloader", Role.HELPDESK);
        var http = upToTheReveal(username, pc);

        var shown = send(http, "/helpdesk/reveal", "");
        var reloaded = send(http, "/helpdesk/reveal", "");
        var confirmAgain = send(http, "/helpdesk/reveal", null);

        assertThat(shown.body()).contains("password-blocks");
        assertThat(reloaded.statusCode()).isEqualTo(200);
        assertThat(reloaded.body()).doesNotContain("password-blocks").doesNotContain(key.password().block(2))
                .contains("already shown", "go through the steps again");
        assertThat(confirmAgain.body()).doesNotContain("password-blocks");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'reveal' AND outcome = 'success' AND target = :t")
                .param("t", "key " + key.id()).query(Long.class).single()).as("reveals recorded").isEqualTo(1);
    }

    @Test
    void aHelpdeskUserIsStoppedWhenTheCallerIsNotAnAssociatedUser() {
        String pc = computer();
        Recoveries.escrow(context, pc, "CORP\\alice", Instant.now());
        WebSession web = signedIn(Role.HELPDESK);
        post(web, "/helpdesk/computer", Map.of("name", pc));

        Page refused = post(web, "/helpdesk/identity", Map.of("requester", "CORP\\mallory",
                "identityVerification", "Call back to the number on file"));

        assertThat(refused.status()).isEqualTo(200);
        assertThat(refused.body()).contains("not an associated user", "ADVANCED_HELPDESK");
        assertThat(web.get("/helpdesk/key").redirectsTo("/helpdesk/identity")).isTrue();
        assertThat(web.get("/helpdesk/reveal").redirectsTo("/helpdesk/identity")).isTrue();
    }

    @Test
    void advancedHelpdeskContinuesForANonAssociatedCallerWithAJustificationAndMayDownloadTheKeyPackage() {
        String pc = computer();
        Escrowed key = Recoveries.escrow(context, pc, "CORP\\alice", Instant.now());
        WebSession web = signedIn(Role.ADVANCED_HELPDESK);
        post(web, "/helpdesk/computer", Map.of("name", pc));

        Page noJustification = post(web, "/helpdesk/identity", Map.of("requester", "CORP\\carol",
                "identityVerification", "Confirmed by the user's manager"));
        assertThat(noJustification.body()).contains("not an associated user", "justification");
        assertThat(post(web, "/helpdesk/identity", Map.of("requester", "CORP\\carol", "identityVerification",
                "Confirmed by the user's manager", "justification", "alice's manager")).redirectsTo("/helpdesk/key")).isTrue();
        post(web, "/helpdesk/key", Map.of("recoveryPasswordId", ""));
        post(web, "/helpdesk/reason", Map.of("reason", "Lost startup key", "notes", ""));

        Page revealed = post(web, "/helpdesk/reveal", Map.of());
        assertThat(revealed.body()).contains(key.password().block(8), "Download the key package");
        Page keyPackage = web.post("/helpdesk/reveal/key-package", Map.of());
        assertThat(keyPackage.status()).isEqualTo(200);
        assertThat(keyPackage.body()).isEqualTo("key package of " + key.id());
    }

    @Test
    void whenTheAuditRecordCannotBeWrittenThePageShowsNoPasswordAndSaysWhatToDo() {
        String pc = computer();
        Escrowed key = Recoveries.escrow(context, pc, "CORP\\alice", Instant.now());
        WebSession web = signedIn(Role.HELPDESK);
        walkToReveal(web, pc, "CORP\\alice");
        jdbc.sql("ALTER TABLE audit_log ADD CONSTRAINT refuse_web_reveal CHECK (action <> 'reveal' OR target <> :t)")
                .param("t", "key " + key.id()).update();
        Page refused;
        try {
            refused = post(web, "/helpdesk/reveal", Map.of());
        } finally {
            jdbc.sql("ALTER TABLE audit_log DROP CONSTRAINT refuse_web_reveal").update();
        }

        assertThat(refused.status()).isEqualTo(200);
        assertThat(refused.body()).contains("could not be recorded in the audit log").doesNotContain(key.password().block(1))
                .doesNotContain("password-blocks");
        assertThat(jdbc.sql("SELECT status FROM recovery_key WHERE protector_id = :id").param("id", key.id().hex())
                .query(String.class).single()).isEqualTo("active");
    }

    @Test
    void theKeyPackageIsForAdvancedHelpdeskOnly() {
        String pc = computer();
        Recoveries.escrow(context, pc, "CORP\\alice", Instant.now());
        WebSession web = signedIn(Role.HELPDESK);
        walkToReveal(web, pc, "CORP\\alice");

        assertThat(web.post("/helpdesk/reveal/key-package", Map.of()).status()).isEqualTo(403);
    }

    @Test
    void partialNamesListCandidatesAndTheSearchByPasswordIdLeadsToTheComputer() {
        String stem = "LAB" + UUID.randomUUID().toString().substring(0, 4).toUpperCase();
        Recoveries.escrow(context, stem + "-A", "CORP\\alice", Instant.now());
        Escrowed b = Recoveries.escrow(context, stem + "-B", "CORP\\alice", Instant.now());
        WebSession web = signedIn(Role.HELPDESK);

        Page candidates = post(web, "/helpdesk/computer", Map.of("name", stem.toLowerCase()));
        assertThat(candidates.body()).contains(stem + "-A", stem + "-B", "which one is it?");
        Page none = post(web, "/helpdesk/computer", Map.of("name", "NOPE-" + stem));
        assertThat(none.body()).contains("No computer is named", "search by the password ID");

        Page byId = post(web, "/helpdesk/search-id", Map.of("id", b.id().shortId()));
        assertThat(byId.body()).contains(stem + "-B").doesNotContain(stem + "-A<");
        long computerId = jdbc.sql("SELECT id FROM computer WHERE name = :n").param("n", stem + "-B").query(Long.class).single();
        assertThat(post(web, "/helpdesk/computer/pick", Map.of("computerId", String.valueOf(computerId), "typedId", b.id().hex()))
                .redirectsTo("/helpdesk/identity")).isTrue();
        post(web, "/helpdesk/identity", Map.of("requester", "alice", "identityVerification", "In person, with badge or ID"));
        assertThat(web.get("/helpdesk/key").body()).contains("value=\"" + b.id().hex() + "\"");
    }

    @Test
    void staffWithoutAHelpdeskRoleGetNoHelpdeskPages() {
        WebSession admin = signedIn(Role.ADMIN);
        assertThat(admin.get("/helpdesk").status()).isEqualTo(403);
        assertThat(admin.post("/helpdesk/reveal", Map.of()).status()).isEqualTo(403);
    }

    @Test
    void formsWithoutTheCsrfTokenAreRefused() {
        WebSession web = signedIn(Role.HELPDESK);
        assertThat(web.postExactly("/helpdesk/computer", Map.of("name", "X")).status()).isEqualTo(403);
    }

    void walkToReveal(WebSession web, String pc, String caller) {
        post(web, "/helpdesk/computer", Map.of("name", pc));
        post(web, "/helpdesk/identity", Map.of("requester", caller, "identityVerification", "Call back to the number on file"));
        post(web, "/helpdesk/key", Map.of("recoveryPasswordId", ""));
        post(web, "/helpdesk/reason", Map.of("reason", "Unknown", "notes", ""));
        web.get("/helpdesk/reveal");
    }

    /** WebSession answers carry no headers: this walks the flow with a plain client to read the reveal's headers. */
    java.net.http.HttpResponse<String> sendReveal(String username, String pc) {
        return send(upToTheReveal(username, pc), "/helpdesk/reveal", "");
    }

    /** A signed-in helpdesk client that has gone through steps 1 to 4 for {@code pc}'s only key. */
    java.net.http.HttpClient upToTheReveal(String username, String pc) {
        var http = java.net.http.HttpClient.newBuilder()
                .cookieHandler(new java.net.CookieManager(null, java.net.CookiePolicy.ACCEPT_ALL))
                .followRedirects(java.net.http.HttpClient.Redirect.NEVER).build();
        send(http, "/login", null);
        send(http, "/login", "username=" + username + "&password=" + People.PASSWORD.replace(" ", "+"));
        send(http, "/helpdesk/computer", "name=" + pc);
        send(http, "/helpdesk/identity", "requester=alice&identityVerification=In+person%2C+with+badge+or+ID");
        send(http, "/helpdesk/key", "recoveryPasswordId=");
        send(http, "/helpdesk/reason", "reason=Unknown&notes=");
        return http;
    }

    private String csrf = "";

    private java.net.http.HttpResponse<String> send(java.net.http.HttpClient http, String path, String form) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
            if (form != null) {
                request.header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form + "&_csrf=" + csrf));
            }
            var response = http.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            var m = java.util.regex.Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"").matcher(response.body());
            if (m.find()) {
                csrf = m.group(1);
            } else if (path.equals("/login") && form != null) {
                send(http, "/helpdesk", null);
            }
            return response;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
