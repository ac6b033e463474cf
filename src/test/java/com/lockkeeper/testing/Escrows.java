package com.lockkeeper.testing;

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
}
