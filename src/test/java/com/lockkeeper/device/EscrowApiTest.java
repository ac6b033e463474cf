package com.lockkeeper.device;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.RecoveryPassword;
import com.lockkeeper.recovery.KeyVerification;
import com.lockkeeper.recovery.RevealRequest;
import com.lockkeeper.recovery.RevealService;
import com.lockkeeper.testing.ApiClient;
import com.lockkeeper.testing.ApiClient.Response;
import com.lockkeeper.testing.Bytes;
import com.lockkeeper.testing.DatabaseServer;
import com.lockkeeper.testing.Escrows;
import com.lockkeeper.testing.ServerPerDatabase;
import com.lockkeeper.tokens.ApiTokens;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** `POST /api/v1/escrow` through real HTTP on a real server, on each database. */
@ParameterizedClass(name = "on {0}")
@ServerPerDatabase
class EscrowApiTest {

    /** This run's server: the shared one on H2, then on PostgreSQL. */
    @Parameter
    DatabaseServer server;

    ApiClient api;
    String token;

    @BeforeEach
    void setUp() {
        api = server.api();
        token = server.newEnrollmentToken();
    }

    @Test
    void storesANewEscrowSealedAndAnswers201() {
        RecoveryPassword password = Escrows.newPassword();
        Map<String, Object> body = Escrows.body("DESKTOP-7F3K2.corp.example.com", password);

        Response response = api.post("/api/v1/escrow", token, Escrows.json(body));

        assertThat(response.status()).isEqualTo(201);
        assertThat(response.json().path("recoveryPasswordId").asString()).isEqualTo(body.get("recoveryPasswordId"));
        String hex = hexOf(body);
        byte[] ciphertext = server.jdbc().sql("SELECT password_ct FROM key_secret JOIN recovery_key ON recovery_key.id = key_secret.key_id WHERE protector_id = :id").param("id", hex)
                .query(byte[].class).single();
        assertThat(ciphertext).isNotEmpty();
        assertThat(new String(ciphertext, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(password.reveal());
        assertThat(Bytes.contains(ciphertext, password.keyBytes())).isFalse();
        assertThat(server.jdbc().sql("SELECT name, domain FROM computer WHERE name = 'DESKTOP-7F3K2'").query().singleRow())
                .containsEntry("domain", "corp.example.com");
        assertThat(server.jdbc().sql("SELECT COUNT(*) FROM audit_log WHERE action = 'escrow' AND target LIKE :t AND outcome = 'success'")
                .param("t", "%" + body.get("recoveryPasswordId") + "%").query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void whatWasEscrowedOverHttpDecryptsThroughTheAuditedRevealAndVerify() {
        RecoveryPassword password = Escrows.newPassword();
        Map<String, Object> body = Escrows.body("LAPTOP-REVEAL", password);
        body.put("keyPackage", Base64.getEncoder().encodeToString("key package".getBytes()));
        assertThat(api.post("/api/v1/escrow", token, Escrows.json(body)).status()).isEqualTo(201);

        RecoveryPassword revealed = server.bean(RevealService.class).reveal(
                ProtectorId.parse((String) body.get("recoveryPasswordId")),
                new RevealRequest("Lost or forgotten PIN", "Call back to the number on file", "CORP\\alice", null),
                Actor.user("helpdesk1"));

        assertThat(revealed).isEqualTo(password);
        KeyVerification.Result verified = server.bean(KeyVerification.class).verify(5, Actor.system("test"));
        assertThat(verified.passed()).isTrue();
        assertThat(verified.decrypted()).isEqualTo(verified.checked()).isPositive();
    }

    /**
     * Concurrent escrows are written in groups (one transaction for many requests): each request
     * still gets its own answer and audit record, repeats and conflicts inside one group included.
     */
    @Test
    void concurrentEscrowsWithRepeatsAndConflictsAreEachAnsweredAndAuditedOnTheirOwn() throws Exception {
        String run = "GROUP-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        List<Map<String, Object>> distinct = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            distinct.add(Escrows.body(run + "-PC" + (i % 16) + ".corp.example.com", Escrows.newPassword()));
        }
        List<Map<String, Object>> repeated = new ArrayList<>();
        List<Map<String, Object>> contested = new ArrayList<>();
        List<Map<String, Object>> rivals = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            repeated.add(Escrows.body(run + "-REPEAT" + i, Escrows.newPassword()));
            Map<String, Object> first = Escrows.body(run + "-CONTEST" + i, Escrows.newPassword());
            Map<String, Object> rival = new LinkedHashMap<>(first);
            rival.put("recoveryPassword", Escrows.newPassword().reveal());
            contested.add(first);
            rivals.add(rival);
        }
        List<Map<String, Object>> all = new ArrayList<>(distinct);
        all.addAll(repeated);
        all.addAll(repeated);
        all.addAll(contested);
        all.addAll(rivals);
        Collections.shuffle(all, new Random(42));

        Map<Map<String, Object>, List<Integer>> answers = new IdentityHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (Map<String, Object> body : all) {
                statuses.add(pool.submit(() -> server.api().post("/api/v1/escrow", token, Escrows.json(body)).status()));
            }
            for (int i = 0; i < all.size(); i++) {
                answers.computeIfAbsent(all.get(i), b -> new ArrayList<>()).add(statuses.get(i).get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }

        distinct.forEach(body -> assertThat(answers.get(body)).containsExactly(201));
        repeated.forEach(body -> assertThat(answers.get(body)).containsExactlyInAnyOrder(201, 200));
        for (int i = 0; i < 10; i++) {
            assertThat(List.of(answers.get(contested.get(i)).get(0), answers.get(rivals.get(i)).get(0)))
                    .containsExactlyInAnyOrder(201, 409);
        }
        assertThat(server.jdbc().sql("SELECT COUNT(*) FROM recovery_key k JOIN volume v ON v.id = k.volume_id"
                + " JOIN computer c ON c.id = v.computer_id WHERE c.name LIKE :run").param("run", run + "%")
                .query(Long.class).single()).isEqualTo(100);
        assertThat(server.jdbc().sql("SELECT COUNT(*) FROM audit_log WHERE action = 'escrow' AND outcome = 'success' AND target LIKE :run")
                .param("run", "% computer " + run + "%").query(Long.class).single()).isEqualTo(100);
        assertThat(server.jdbc().sql("SELECT COUNT(*) FROM audit_log WHERE action = 'escrow' AND outcome = 'refused' AND target LIKE :run")
                .param("run", "% computer " + run + "%").query(Long.class).single()).isEqualTo(10);
        for (int i = 0; i < 10; i++) {
            Map<String, Object> winner = answers.get(contested.get(i)).get(0) == 201 ? contested.get(i) : rivals.get(i);
            RecoveryPassword stored = server.bean(RevealService.class).reveal(
                    ProtectorId.parse((String) winner.get("recoveryPasswordId")),
                    new RevealRequest("Lost or forgotten PIN", "Call back to the number on file", "CORP\\alice", null),
                    Actor.user("helpdesk1"));
            assertThat(stored.reveal()).isEqualTo(winner.get("recoveryPassword"));
        }
    }

    /**
     * A later escrow for a known computer or volume brings what changed: a domain learnt, a new
     * label or type. A volume named by another computer's escrow stays where it is (409).
     */
    @Test
    void aLaterEscrowUpdatesTheComputersDomainAndTheVolumesLabelAndTypeButNeverMovesTheVolume() {
        String name = "REIMAGED-" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        Map<String, Object> first = Escrows.body(name, Escrows.newPassword());
        assertThat(api.post("/api/v1/escrow", token, Escrows.json(first)).status()).isEqualTo(201);

        Map<String, Object> second = Escrows.body(name + ".corp.example.com", Escrows.newPassword());
        second.put("volumeId", first.get("volumeId"));
        second.put("volumeType", "FixedData");
        second.put("driveLabel", name + " C: 11/24/2026");
        assertThat(api.post("/api/v1/escrow", token, Escrows.json(second)).status()).isEqualTo(201);

        assertThat(server.jdbc().sql("SELECT domain FROM computer WHERE name = :n").param("n", name).query(String.class).single())
                .isEqualTo("corp.example.com");
        assertThat(volume(first)).containsEntry("drive_label", name + " C: 11/24/2026").containsEntry("computer_name", name)
                .containsEntry("volume_type", "FixedData");

        Map<String, Object> moved = Escrows.body("OTHER-" + name, Escrows.newPassword());
        moved.put("volumeId", first.get("volumeId"));
        moved.put("volumeType", "OperatingSystem");
        moved.remove("driveLabel");
        Response refused = api.post("/api/v1/escrow", token, Escrows.json(moved));

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().path("type").asString()).endsWith("/volume-of-another-computer");
        assertThat(refused.json().path("detail").asString()).contains((String) first.get("volumeId"),
                "lockkeeper device move-volume --volume " + first.get("volumeId") + " --to OTHER-" + name);
        assertThat(volume(first)).containsEntry("computer_name", name).containsEntry("volume_type", "FixedData");
        assertThat(server.jdbc().sql("SELECT COUNT(*) FROM recovery_key WHERE protector_id = :p")
                .param("p", ((String) moved.get("recoveryPasswordId")).replaceAll("[{}-]", "").toUpperCase())
                .query(Long.class).single()).isZero();
    }

    private Map<String, Object> volume(Map<String, Object> body) {
        return server.jdbc().sql("SELECT v.drive_label, v.volume_type, c.name AS computer_name FROM volume v JOIN computer c ON c.id = v.computer_id"
                        + " WHERE v.volume_guid = :guid")
                .param("guid", UUID.fromString((String) body.get("volumeId"))).query().singleRow();
    }

    @Test
    void theSameEscrowAgainIsANoOpAnswered200() {
        Map<String, Object> body = Escrows.body("LAPTOP-1", Escrows.newPassword());
        assertThat(api.post("/api/v1/escrow", token, Escrows.json(body)).status()).isEqualTo(201);
        long keys = keyCount();
        byte[] before = storedCiphertext(body);

        Response again = api.post("/api/v1/escrow", token, Escrows.json(body));

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("status").asString()).isEqualTo("already-stored");
        assertThat(keyCount()).isEqualTo(keys);
        assertThat(storedCiphertext(body)).isEqualTo(before);
    }

    @Test
    void aDifferentPasswordForAStoredIdIsRefusedWith409AndChangesNothing() {
        Map<String, Object> body = Escrows.body("LAPTOP-2", Escrows.newPassword());
        assertThat(api.post("/api/v1/escrow", token, Escrows.json(body)).status()).isEqualTo(201);
        byte[] before = storedCiphertext(body);
        body.put("recoveryPassword", Escrows.newPassword().reveal());

        Response conflict = api.post("/api/v1/escrow", token, Escrows.json(body));

        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.contentType()).startsWith("application/problem+json");
        assertThat(conflict.json().path("detail").asString()).contains((String) body.get("recoveryPasswordId"));
        assertThat(conflict.body()).doesNotContain((String) body.get("recoveryPassword"));
        assertThat(storedCiphertext(body)).isEqualTo(before);
        assertThat(server.jdbc().sql("SELECT COUNT(*) FROM audit_log WHERE action = 'escrow' AND outcome = 'refused' AND target LIKE :t")
                .param("t", "%" + body.get("recoveryPasswordId") + "%").query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void theSameIdForAnotherVolumeIsAConflict() {
        Map<String, Object> body = Escrows.body("LAPTOP-3", Escrows.newPassword());
        assertThat(api.post("/api/v1/escrow", token, Escrows.json(body)).status()).isEqualTo(201);
        body.put("volumeId", UUID.randomUUID().toString());

        assertThat(api.post("/api/v1/escrow", token, Escrows.json(body)).status()).isEqualTo(409);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
            "recoveryPassword   | 171743-460625-147973-321926-606430-707773-635965-345928 | 3",
            "recoveryPassword   | 171743-460625-147972-321926-606430-707773-635965        | ",
            "recoveryPassword   | 171743-460625-14797x-321926-606430-707773-635965-345928 | 3",
            "recoveryPassword   | 171743-460625-147972-999999-606430-707773-635965-345928 | 4",
            "recoveryPasswordId | {4D3C2B1A-8F7E-4A6B-9C0D-11223344556}                  | ",
            "recoveryPasswordId | not-a-guid                                              | ",
            "volumeId           | 12345678-1234-1234-1234                                 | ",
            "volumeType         | Floppy                                                  | ",
            "computer           | -bad-name                                               | ",
            "createdAt          | yesterday                                               | ",
            "keyPackage         | %%%not base64%%%                                        | ",
    })
    void aMalformedFieldIsNamedAndNothingIsStored(String field, String value, Integer block) {
        Map<String, Object> body = Escrows.body("LAPTOP-4", Escrows.newPassword());
        body.put(field, value);
        long keys = keyCount();

        Response response = api.post("/api/v1/escrow", token, Escrows.json(body));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        JsonNode error = response.json().path("errors").get(0);
        assertThat(error.path("field").asString()).isEqualTo(field);
        if (block != null) {
            assertThat(error.path("block").asInt()).isEqualTo(block);
        }
        assertThat(error.path("reason").asString()).isNotBlank();
        assertThat(response.body()).doesNotContain(value);
        assertThat(keyCount()).isEqualTo(keys);
    }

    @Test
    void oversizedFieldsAreRefused() {
        Map<String, Object> body = Escrows.body("LAPTOP-5", Escrows.newPassword());
        body.put("driveLabel", "L".repeat(257));
        body.put("computer", "C".repeat(64));
        body.put("users", java.util.Collections.nCopies(65, "CORP\\bob"));
        long keys = keyCount();

        Response response = api.post("/api/v1/escrow", token, Escrows.json(body));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("errors").findValuesAsString("field")).contains("driveLabel", "computer", "users");
        assertThat(keyCount()).isEqualTo(keys);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"computer\": ",
            "[1, 2, 3]",
            "{\"computer\": \"A\", \"computer\": \"B\"}",
            "''",
    })
    void aBodyThatIsNotOneJsonObjectIsRefused(String body) {
        long keys = keyCount();
        Response response = api.post("/api/v1/escrow", token, body);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("errors").get(0).path("reason").asString()).isNotBlank();
        assertThat(keyCount()).isEqualTo(keys);
    }

    @Test
    void anUnknownFieldOrAWrongTypeIsNamed() {
        Map<String, Object> body = Escrows.body("LAPTOP-6", Escrows.newPassword());
        body.put("recoveryPasword", "typo");
        body.put("volumeType", 1);

        Response response = api.post("/api/v1/escrow", token, Escrows.json(body));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("errors").findValuesAsString("field")).containsExactlyInAnyOrder("recoveryPasword", "volumeType");
    }

    @Test
    void missingUnknownOrRevokedTokensGet401AndStoreNothing() {
        String body = Escrows.json(Escrows.body("LAPTOP-7", Escrows.newPassword()));
        ApiTokens tokens = server.bean(ApiTokens.class);
        String revoked = tokens.createEnrollmentToken("to-revoke-" + UUID.randomUUID(), Actor.system("test")).secret();
        tokens.revoke(tokens.list().stream().filter(t -> t.name().startsWith("to-revoke-") && t.active()).findFirst()
                .orElseThrow().name(), Actor.system("test"));
        long keys = keyCount();

        for (String presented : new String[] {null, "lke_unknown", revoked}) {
            Response response = api.post("/api/v1/escrow", presented, body);
            assertThat(response.status()).as("token %s", presented == null ? "none" : "given").isEqualTo(401);
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(response.json().path("detail").asString()).contains("token");
        }
        assertThat(keyCount()).isEqualTo(keys);
    }

    @Test
    void aBodyOverTheLimitGets413() {
        Map<String, Object> body = Escrows.body("LAPTOP-8", Escrows.newPassword());
        body.put("driveLabel", "x".repeat(EscrowController.MAX_BODY_BYTES));
        long keys = keyCount();

        Response response = api.post("/api/v1/escrow", token, Escrows.json(body));

        assertThat(response.status()).isEqualTo(413);
        assertThat(keyCount()).isEqualTo(keys);
    }

    @Test
    void aKeyPackageIsStoredSealedAndAddedOnARepeatThatBringsIt() {
        Map<String, Object> body = Escrows.body("LAPTOP-9", Escrows.newPassword());
        assertThat(api.post("/api/v1/escrow", token, Escrows.json(body)).status()).isEqualTo(201);
        byte[] keyPackage = "BitLocker key package bytes".getBytes();
        body.put("keyPackage", Base64.getEncoder().encodeToString(keyPackage));

        assertThat(api.post("/api/v1/escrow", token, Escrows.json(body)).status()).isEqualTo(200);

        byte[] stored = server.jdbc().sql("SELECT key_package_ct FROM key_secret JOIN recovery_key ON recovery_key.id = key_secret.key_id WHERE protector_id = :id").param("id", hexOf(body))
                .query(byte[].class).single();
        assertThat(stored).isNotNull();
        assertThat(Bytes.contains(stored, keyPackage)).isFalse();
    }

    @Test
    void anotherContentTypeIsRefused() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(api.base() + "/api/v1/escrow"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(Escrows.json(Escrows.body("LAPTOP-10", Escrows.newPassword()))))
                .build();

        assertThat(api.send(request).status()).isEqualTo(400);
    }

    private long keyCount() {
        return server.jdbc().sql("SELECT COUNT(*) FROM recovery_key").query(Long.class).single();
    }

    private byte[] storedCiphertext(Map<String, Object> body) {
        return server.jdbc().sql("SELECT password_ct FROM key_secret JOIN recovery_key ON recovery_key.id = key_secret.key_id WHERE protector_id = :id").param("id", hexOf(body))
                .query(byte[].class).single();
    }

    private static String hexOf(Map<String, Object> body) {
        return ((String) body.get("recoveryPasswordId")).replaceAll("[{}-]", "").toUpperCase();
    }
}
