package com.lockkeeper.helpdesk;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.lifecycle.RotationScope;
import com.lockkeeper.lifecycle.Rotations;
import com.lockkeeper.recovery.RevealDetails;
import com.lockkeeper.testing.ApiClient;
import com.lockkeeper.testing.ApiClient.Response;
import com.lockkeeper.testing.Mailbox;
import com.lockkeeper.testing.Mailbox.Mail;
import com.lockkeeper.testing.People;
import com.lockkeeper.testing.Recoveries;
import com.lockkeeper.testing.Recoveries.Escrowed;
import com.lockkeeper.testing.MovableClock;
import com.lockkeeper.testing.TestClock;
import com.lockkeeper.testing.WebServerTest;
import com.lockkeeper.testing.WebSession;
import com.lockkeeper.testing.WebSession.Page;
import com.lockkeeper.users.Role;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Two-person approval end to end, over real HTTP: the helpdesk pages and the API with personal
 * tokens, self-service, break glass, and the mail each step sends to a real SMTP server.
 * HELPDESK reveals need approval, and so does any reveal of a VAULT-* computer; ADVANCED_HELPDESK
 * may break glass.
 */
@Import(MovableClock.class)
@WebServerTest(properties = {
        "lockkeeper.approval.roles=HELPDESK",
        "lockkeeper.approval.computers=VAULT-*",
        "lockkeeper.approval.self-service=true",
        "lockkeeper.approval.approver-roles=APPROVER",
        "lockkeeper.approval.break-glass-roles=ADVANCED_HELPDESK",
        "lockkeeper.approval.break-glass-min-justification=30",
        "lockkeeper.notify.smtp.host=127.0.0.1",
        "lockkeeper.notify.smtp.starttls=false",
        "lockkeeper.notify.security-officers=security-officer@corp.example.com",
        "lockkeeper.notify.poll-interval=200ms",
        "lockkeeper.notify.retry-delay=1s",
        "lockkeeper.notify.max-attempts=30"})
class ApprovalFlowTest {

    static final String OFFICER = "security-officer@corp.example.com";
    static final Duration MAIL_WAIT = Duration.ofSeconds(20);
    /** A recovery password, with or without dashes, or a token: no message may hold one. */
    static final Pattern SECRET = Pattern.compile("(\\d{6}-?){7}\\d{6}|lk[ep]_");

    static final Mailbox MAIL = new Mailbox().start();

    @DynamicPropertySource
    static void smtp(DynamicPropertyRegistry registry) {
        registry.add("lockkeeper.notify.smtp.port", MAIL::port);
    }

    @AfterAll
    static void stopMail() {
        MAIL.stop();
    }

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TestClock clock;

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8).toLowerCase();
    }

    static String address(String prefix) {
        return unique(prefix) + "@corp.example.com";
    }

    static String call(String requester) {
        return "{\"requester\": \"" + requester + "\", \"identityVerification\": \"Call back to the number on file\","
                + " \"reason\": \"Lost or forgotten PIN\", \"notes\": \"new phone\"}";
    }

    Response post(String path, String token, String body) {
        return new ApiClient(port).post(path, token, body);
    }

    Response get(String path, String token) {
        ApiClient api = new ApiClient(port);
        return api.send(HttpRequest.newBuilder(URI.create(api.base() + path)).header("Authorization", "Bearer " + token).GET().build());
    }

    long successfulReveals(Escrowed key) {
        return jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE action IN ('reveal', 'self-service.reveal') AND outcome = 'success'"
                + " AND target = :t").param("t", "key " + key.id()).query(Long.class).single();
    }

    String keyStatus(Escrowed key) {
        return jdbc.sql("SELECT status FROM recovery_key WHERE protector_id = :id").param("id", key.id().hex()).query(String.class).single();
    }

    static void assertNoSecret(List<Mail> mails, Escrowed key) {
        for (Mail mail : mails) {
            assertThat(mail.subject() + "\n" + mail.text()).doesNotContainPattern(SECRET)
                    .doesNotContain(key.password().block(1)).doesNotContain(key.password().block(8));
        }
    }

    /** A signed-in helpdesk session through steps 1-4 for this computer's only key. */
    WebSession upToTheLastStep(String username, String computer, String caller) {
        WebSession web = WebSession.signedIn(port, username, People.PASSWORD);
        web.get("/helpdesk");
        assertThat(web.post("/helpdesk/computer", Map.of("name", computer)).redirectsTo("/helpdesk/identity")).isTrue();
        web.get("/helpdesk/identity");
        assertThat(web.post("/helpdesk/identity", Map.of("requester", caller, "identityVerification",
                "Call back to the number on file")).redirectsTo("/helpdesk/key")).isTrue();
        web.get("/helpdesk/key");
        assertThat(web.post("/helpdesk/key", Map.of("recoveryPasswordId", "")).redirectsTo("/helpdesk/reason")).isTrue();
        web.get("/helpdesk/reason");
        assertThat(web.post("/helpdesk/reason", Map.of("reason", "Lost or forgotten PIN", "notes", "new phone"))
                .redirectsTo("/helpdesk/reveal")).isTrue();
        return web;
    }

    @Test
    void aHelpdeskRevealWaitsForAnotherPersonsApprovalThenRevealsOnceWithinTheLimit() {
        String pc = unique("WS").toUpperCase();
        String alice = address("alice");
        Escrowed key = Recoveries.escrow(context, pc, alice, Instant.now());
        String requester = People.addExactly(context, address("anna"), Role.HELPDESK, Role.APPROVER);
        String approver = People.addExactly(context, address("bob"), Role.APPROVER);

        WebSession anna = upToTheLastStep(requester, pc, alice);
        Page last = anna.get("/helpdesk/reveal");
        assertThat(last.body()).contains("Request approval", "5. Request", "reveals by HELPDESK need approval")
                .doesNotContain("id=\"reveal-submit\"");
        Page notYet = anna.post("/helpdesk/reveal", Map.of());
        assertThat(notYet.body()).contains("needs a second person").doesNotContain("password-blocks");
        assertThat(successfulReveals(key)).isZero();

        assertThat(anna.post("/helpdesk/request", Map.of()).redirectsTo("/helpdesk/reveal")).isTrue();
        Page waiting = anna.get("/helpdesk/reveal");
        assertThat(waiting.body()).contains("waits for an approver");
        long id = jdbc.sql("SELECT id FROM reveal_approval WHERE requested_by = :u").param("u", requester).query(Long.class).single();

        List<Mail> asked = MAIL.to(approver, 1, MAIL_WAIT);
        assertThat(asked).hasSize(1);
        assertThat(asked.get(0).subject()).contains("Approval needed", pc, String.valueOf(id));
        assertThat(asked.get(0).text()).contains(requester, alice, "Lost or forgotten PIN", "reveals by HELPDESK need approval");
        assertThat(MAIL.to(requester, 1, Duration.ofMillis(500))).as("the requester is not asked to approve their own request")
                .isEmpty();

        WebSession annaApproves = WebSession.signedIn(port, requester, People.PASSWORD);
        Page list = annaApproves.get("/approvals");
        assertThat(list.body()).contains("Request " + id, "your own request");
        Page own = annaApproves.post("/approvals/" + id + "/approve", Map.of("note", "looks fine to me"));
        assertThat(annaApproves.follow(own).body()).contains("You cannot decide request " + id);
        assertThat(jdbc.sql("SELECT status FROM reveal_approval WHERE id = :id").param("id", id).query(String.class).single())
                .isEqualTo("pending");

        WebSession bob = WebSession.signedIn(port, approver, People.PASSWORD);
        assertThat(bob.get("/approvals").body()).contains("Request " + id, alice, "Approve", "Deny");
        Page approved = bob.post("/approvals/" + id + "/approve", Map.of("note", "confirmed with the manager"));
        assertThat(bob.follow(approved).body()).contains("Request " + id + " approved");

        List<Mail> decided = MAIL.to(requester, 1, MAIL_WAIT);
        assertThat(decided).hasSize(1);
        assertThat(decided.get(0).subject()).contains("approved");
        assertThat(decided.get(0).text()).contains(approver, "confirmed with the manager", "once");

        Page ready = anna.get("/helpdesk/reveal");
        assertThat(ready.body()).contains("was approved by", approver, "id=\"reveal-submit\"");
        Page revealed = anna.post("/helpdesk/reveal", Map.of());
        for (int n = 1; n <= 8; n++) {
            assertThat(revealed.body()).contains(">" + key.password().block(n) + "<");
        }
        assertThat(successfulReveals(key)).isEqualTo(1);
        RevealDetails detail = RevealDetails.read(jdbc.sql("SELECT detail FROM audit_log WHERE action = 'reveal' AND outcome = 'success'"
                + " AND target = :t").param("t", "key " + key.id()).query(String.class).single());
        assertThat(detail.approval()).isEqualTo("request " + id + " approved by " + approver);

        // The grant was for one reveal: picking the request up again shows nothing.
        WebSession again = WebSession.signedIn(port, requester, People.PASSWORD);
        again.get("/approvals");
        assertThat(again.post("/helpdesk/approved", Map.of("approvalId", String.valueOf(id))).redirectsTo("/helpdesk/reveal")).isTrue();
        assertThat(again.get("/helpdesk/reveal").body()).contains("was used for its one reveal");
        Page second = again.post("/helpdesk/reveal", Map.of());
        assertThat(second.body()).contains("used already").doesNotContain("password-blocks");
        assertThat(successfulReveals(key)).isEqualTo(1);

        List<Mail> toAlice = MAIL.to(alice, 1, MAIL_WAIT);
        assertThat(toAlice).hasSize(1);
        assertThat(toAlice.get(0).subject()).contains("recovery key of " + pc + " was revealed");
        assertThat(toAlice.get(0).text()).contains(requester, "Lost or forgotten PIN", key.id().shortId(), "approved by " + approver);
        List<Mail> everything = MAIL.all();
        assertNoSecret(everything, key);
    }

    @Test
    void aDeniedRequestRevealsNothing() {
        String pc = unique("WS").toUpperCase();
        Escrowed key = Recoveries.escrow(context, pc, "CORP\\alice", Instant.now());
        String requester = People.add(context, "hd", Role.HELPDESK);
        String token = People.token(context, requester);
        String approverToken = People.token(context, People.add(context, "approver", Role.APPROVER));

        Response refused = post("/api/v1/recovery-keys/" + key.id().shortId() + "/reveal", token, call("CORP\\\\alice"));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().path("type").asString()).endsWith("/approval-required");
        assertThat(refused.body()).doesNotContain(key.password().block(1));

        Response requested = post("/api/v1/approvals", token, "{\"recoveryPasswordId\": \"" + key.id().shortId() + "\", \"requester\":"
                + " \"CORP\\\\alice\", \"identityVerification\": \"Call back to the number on file\", \"reason\": \"Lost or forgotten PIN\"}");
        assertThat(requested.status()).isEqualTo(201);
        long id = requested.json().path("id").asLong();
        assertThat(requested.json().path("state").asString()).isEqualTo("pending");

        Response pending = get("/api/v1/approvals", approverToken);
        assertThat(pending.status()).isEqualTo(200);
        assertThat(pending.body()).contains("\"id\":" + id);
        assertThat(get("/api/v1/approvals", token).status()).as("a helpdesk user is not an approver").isEqualTo(403);
        assertThat(post("/api/v1/approvals/" + id + "/deny", approverToken, "{}").status()).as("a note is required").isEqualTo(400);

        Response denied = post("/api/v1/approvals/" + id + "/deny", approverToken, "{\"note\": \"the caller could not be reached\"}");
        assertThat(denied.status()).isEqualTo(200);
        assertThat(denied.json().path("state").asString()).isEqualTo("denied");
        assertThat(post("/api/v1/approvals/" + id + "/approve", approverToken, "{\"note\": \"changed my mind\"}").status())
                .as("a decision is final").isEqualTo(409);

        Response reveal = post("/api/v1/recovery-keys/" + key.id().shortId() + "/reveal", token, "{\"approvalId\": " + id + "}");
        assertThat(reveal.status()).isEqualTo(403);
        assertThat(reveal.body()).contains("denied").doesNotContain(key.password().block(1));
        assertThat(successfulReveals(key)).isZero();
        assertThat(keyStatus(key)).isNotEqualTo("disclosed");
    }

    @Test
    void anApproverCannotApproveTheirOwnRequestAndAnExpiredGrantRevealsNothing() {
        String pc = unique("VAULT").toUpperCase();
        Escrowed key = Recoveries.escrow(context, pc, "CORP\\alice", Instant.now());
        String requester = People.add(context, "adv", Role.ADVANCED_HELPDESK, Role.APPROVER);
        String token = People.token(context, requester);
        String approverToken = People.token(context, People.add(context, "approver", Role.APPROVER));

        Response requested = post("/api/v1/approvals", token, "{\"recoveryPasswordId\": \"" + key.id().shortId() + "\", \"requester\":"
                + " \"CORP\\\\alice\", \"identityVerification\": \"Call back to the number on file\", \"reason\": \"Lost or forgotten PIN\"}");
        long id = requested.json().path("id").asLong();
        assertThat(requested.json().path("whyRequired").asString()).contains(pc + " is in a computer group");

        Response own = post("/api/v1/approvals/" + id + "/approve", token, "{\"note\": \"fine\"}");
        assertThat(own.status()).isEqualTo(403);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'approval.approve' AND outcome = 'refused' AND target = :t")
                .param("t", "approval " + id).query(Long.class).single()).isEqualTo(1);

        Response approved = post("/api/v1/approvals/" + id + "/approve", approverToken, "{\"note\": \"incident 4711\"}");
        assertThat(approved.status()).isEqualTo(200);
        assertThat(approved.json().path("state").asString()).isEqualTo("approved");

        clock.advance(Duration.ofMinutes(61));
        Response expired = post("/api/v1/recovery-keys/" + key.id().shortId() + "/reveal", token, "{\"approvalId\": " + id + "}");
        assertThat(expired.status()).isEqualTo(403);
        assertThat(expired.body()).contains("expired").doesNotContain(key.password().block(1));
        assertThat(successfulReveals(key)).isZero();
    }

    @Test
    void anApprovedGrantRevealsOnceByTheApi() {
        String pc = unique("WS").toUpperCase();
        Escrowed key = Recoveries.escrow(context, pc, "CORP\\alice", Instant.now());
        String token = People.token(context, People.add(context, "hd", Role.HELPDESK));
        String approverToken = People.token(context, People.add(context, "approver", Role.APPROVER));
        long id = post("/api/v1/approvals", token, "{\"recoveryPasswordId\": \"" + key.id().shortId() + "\", \"requester\":"
                + " \"CORP\\\\alice\", \"identityVerification\": \"Call back to the number on file\", \"reason\": \"Lost or forgotten PIN\"}")
                .json().path("id").asLong();
        assertThat(post("/api/v1/recovery-keys/" + key.id().shortId() + "/reveal", token, "{\"approvalId\": " + id + "}").status())
                .as("not approved yet").isEqualTo(403);
        post("/api/v1/approvals/" + id + "/approve", approverToken, "{\"note\": \"ok\"}");

        Response first = post("/api/v1/recovery-keys/" + key.id().shortId() + "/reveal", token, "{\"approvalId\": " + id + "}");
        Response second = post("/api/v1/recovery-keys/" + key.id().shortId() + "/reveal", token, "{\"approvalId\": " + id + "}");

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().path("recoveryPassword").asString()).isEqualTo(key.password().reveal());
        assertThat(second.status()).isEqualTo(403);
        assertThat(second.body()).contains("used already");
        assertThat(successfulReveals(key)).isEqualTo(1);
        assertThat(get("/api/v1/approvals?mine=true", token).body()).contains("\"state\":\"used\"");
    }

    @Test
    void selfServiceAsksAnApproverFirst() {
        String user = address("carol");
        String pc = unique("WS").toUpperCase();
        Escrowed key = Recoveries.escrow(context, pc, user, Instant.now());
        People.addExactly(context, user);
        String approverToken = People.token(context, People.add(context, "approver", Role.APPROVER));
        WebSession carol = WebSession.signedIn(port, user, People.PASSWORD);
        carol.get("/self-service");

        Page asked = carol.post("/self-service/reveal", Map.of("recoveryPasswordId", key.id().shortId(), "confirm", "true"));
        assertThat(asked.body()).contains("was sent to an approver").doesNotContain("password-blocks");
        Page stillWaiting = carol.post("/self-service/reveal", Map.of("recoveryPasswordId", key.id().shortId(), "confirm", "true"));
        assertThat(stillWaiting.body()).contains("waits for an approver");
        long id = jdbc.sql("SELECT id FROM reveal_approval WHERE requested_by = :u").param("u", user).query(Long.class).single();
        assertThat(successfulReveals(key)).isZero();

        assertThat(post("/api/v1/approvals/" + id + "/approve", approverToken, "{\"note\": \"called her back\"}").status()).isEqualTo(200);
        Page shown = carol.post("/self-service/reveal", Map.of("recoveryPasswordId", key.id().shortId(), "confirm", "true"));
        assertThat(shown.body()).contains("password-blocks", ">" + key.password().block(3) + "<");
        assertThat(successfulReveals(key)).isEqualTo(1);
        Page afterwards = carol.post("/self-service/reveal", Map.of("recoveryPasswordId", key.id().shortId(), "confirm", "true"));
        assertThat(afterwards.body()).as("the grant was for one reveal: a new request goes out").contains("was sent to an approver")
                .doesNotContain("password-blocks");
        List<Mail> toCarol = MAIL.to(user, 2, MAIL_WAIT);
        assertThat(toCarol).extracting(Mail::subject).anySatisfy(s -> assertThat(s).contains("was approved"))
                .anySatisfy(s -> assertThat(s).contains("was revealed"));
        assertNoSecret(toCarol, key);
    }

    @Test
    void breakGlassRevealsWithoutApprovalFlaggedInTheAuditLogAndReportAndTellsTheSecurityOfficers() {
        String pc = unique("VAULT").toUpperCase();
        Escrowed key = Recoveries.escrow(context, pc, "CORP\\alice", Instant.now());
        String adv = People.add(context, "adv", Role.ADVANCED_HELPDESK);
        String token = People.token(context, adv);
        String hdToken = People.token(context, People.add(context, "hd", Role.HELPDESK));
        String why = "CEO laptop at the airport, flight in 20 minutes, no approver reachable";

        assertThat(post("/api/v1/recovery-keys/" + key.id().shortId() + "/reveal", token, call("CORP\\\\alice")).status())
                .isEqualTo(403);
        Response tooShort = post("/api/v1/recovery-keys/" + key.id().shortId() + "/reveal", token,
                call("CORP\\\\alice").replace("}", ", \"breakGlass\": \"urgent\"}"));
        assertThat(tooShort.status()).isEqualTo(400);
        assertThat(tooShort.body()).contains("breakGlass");
        assertThat(post("/api/v1/recovery-keys/" + key.id().shortId() + "/reveal", hdToken,
                call("CORP\\\\alice").replace("}", ", \"breakGlass\": \"" + why + "\"}")).status())
                .as("HELPDESK may not break glass").isEqualTo(403);

        Response broken = post("/api/v1/recovery-keys/" + key.id().shortId() + "/reveal", token,
                call("CORP\\\\alice").replace("}", ", \"breakGlass\": \"" + why + "\"}"));

        assertThat(broken.status()).isEqualTo(200);
        assertThat(broken.json().path("recoveryPassword").asString()).isEqualTo(key.password().reveal());
        RevealDetails detail = RevealDetails.read(jdbc.sql("SELECT detail FROM audit_log WHERE action = 'reveal' AND outcome = 'success'"
                + " AND target = :t").param("t", "key " + key.id()).query(String.class).single());
        assertThat(detail.breakGlass()).isEqualTo(why);
        String report = WebSession.signedIn(port, People.add(context, "auditor", Role.AUDITOR), People.PASSWORD)
                .get("/reports/recovery-audit?computer=" + pc).body();
        assertThat(report).contains("break glass: " + why);

        List<Mail> toOfficer = MAIL.to(OFFICER, m -> m.subject().contains(pc), MAIL_WAIT);
        assertThat(toOfficer).hasSize(1);
        assertThat(toOfficer.get(0).subject()).contains("Break glass", adv);
        assertThat(toOfficer.get(0).text()).contains(why, key.id().shortId());
        assertNoSecret(toOfficer, key);
    }

    @Test
    void aRotationOfEveryKeyIsMailedToTheSecurityOfficers() {
        String reason = unique("incident");
        context.getBean(Rotations.class).request(RotationScope.ALL, null, reason, Actor.user("admin"));
        List<Mail> mails = MAIL.to(OFFICER, m -> m.text().contains(reason), MAIL_WAIT);
        assertThat(mails).hasSize(1).allSatisfy(m -> assertThat(m.subject() + m.text()).contains("Every recovery key is to be rotated", reason,
                "user:admin"));
    }

    @Test
    void aDownMailServerDoesNotHoldUpARevealAndItsMessageGoesOutWhenTheServerIsBack() {
        String alice = address("alice");
        String pc = unique("WS").toUpperCase();
        Escrowed key = Recoveries.escrow(context, pc, alice, Instant.now());
        String token = People.token(context, People.add(context, "adv", Role.ADVANCED_HELPDESK));
        MAIL.stop();
        try {
            long started = System.nanoTime();
            Response revealed = post("/api/v1/recovery-keys/" + key.id().shortId() + "/reveal", token, call(alice));
            assertThat(revealed.status()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));

            long deadline = System.nanoTime() + MAIL_WAIT.toNanos();
            String error = null;
            while (error == null && System.nanoTime() < deadline) {
                error = jdbc.sql("SELECT last_error FROM notification WHERE recipient = :r").param("r", alice)
                        .query(String.class).optional().orElse(null);
                sleep(100);
            }
            assertThat(error).as("the failed attempt is recorded").isNotNull();
            WebSession admin = WebSession.signedIn(port, People.add(context, "admin", Role.ADMIN), People.PASSWORD);
            assertThat(admin.get("/admin/notifications").body()).contains(alice, "will retry");
        } finally {
            MAIL.start();
        }
        List<Mail> delivered = MAIL.to(alice, 1, MAIL_WAIT);
        assertThat(delivered).hasSize(1);
        assertThat(delivered.get(0).subject()).contains(pc);
        assertNoSecret(delivered, key);
        assertThat(jdbc.sql("SELECT status FROM notification WHERE recipient = :r").param("r", alice).query(String.class).single())
                .isEqualTo("sent");
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
