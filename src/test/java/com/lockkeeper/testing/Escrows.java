package com.lockkeeper.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.bitlocker.RecoveryPassword;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;

/** Escrow requests as a device would send them, with fresh random IDs and passwords. */
public final class Escrows {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Escrows() {
    }

    public static RecoveryPassword newPassword() {
        return RecoveryPassword.generate(RANDOM);
    }

    public static String newGuid() {
        return "{" + UUID.randomUUID().toString().toUpperCase() + "}";
    }

    /** A valid escrow body for a new key on a new volume of {@code computer}. */
    public static Map<String, Object> body(String computer, RecoveryPassword password) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("computer", computer);
        body.put("volumeId", UUID.randomUUID().toString());
        body.put("volumeType", "OperatingSystem");
        body.put("driveLabel", computer.split("\\.")[0] + " C: 11/23/2026");
        body.put("recoveryPasswordId", newGuid());
        body.put("recoveryPassword", password.reveal());
        body.put("users", List.of("CORP\\alice"));
        body.put("createdAt", "2026-11-23T10:15:00Z");
        return body;
    }

    public static String json(Map<String, Object> body) {
        return JSON.writeValueAsString(body);
    }

    /**
     * A device escrows a new key of {@code computer} with {@code deviceToken}, and staff reveal it
     * with {@code staffToken}: asserts 201, 200 and that the revealed password is the escrowed one.
     */
    public static void escrowAndReveal(ApiClient api, String deviceToken, String staffToken, String computer, String notes) {
        RecoveryPassword password = newPassword();
        Map<String, Object> body = body(computer, password);
        ApiClient.Response escrow = api.post("/api/v1/escrow", deviceToken, json(body));
        assertThat(escrow.status()).as("escrow: %s", escrow.body()).isEqualTo(201);
        String id = ((String) body.get("recoveryPasswordId")).replaceAll("[{}-]", "").toLowerCase();
        ApiClient.Response reveal = api.post("/api/v1/recovery-keys/" + id + "/reveal", staffToken, """
                {"requester": "CORP\\\\alice", "identityVerification": "Call back to the number on file",
                 "reason": "Lost or forgotten PIN", "notes": "%s"}""".formatted(notes));
        assertThat(reveal.status()).as("reveal: %s", reveal.body()).isEqualTo(200);
        assertThat(reveal.json().path("recoveryPassword").asString()).isEqualTo(password.reveal());
    }
}
