package com.lockkeeper.bench;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.UUID;

/** Escrow requests as devices send them, each a new computer, volume and key. */
final class EscrowBodies {

    private EscrowBodies() {
    }

    static HttpRequest request(ServerProcess server, String token, String run, long n) {
        long i = (run.hashCode() & 0xffffL) << 40 | n;
        String name = "LOAD-" + run + "-" + n;
        String body = json(name + ".corp.example.com", UUID.randomUUID().toString(), "OperatingSystem", name + " C: 11/23/2026",
                "{" + UUID.randomUUID().toString().toUpperCase() + "}", Fleet.password(i, 0).reveal(), "CORP\\alice");
        return HttpRequest.newBuilder(URI.create(server.base() + "/api/v1/escrow"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    /** An escrow body as devices send it (the values need no JSON escaping but the user's backslash). */
    static String json(String computer, String volumeId, String volumeType, String driveLabel, String protectorId,
            String password, String user) {
        return "{\"computer\":\"" + computer + "\",\"volumeId\":\"" + volumeId + "\",\"volumeType\":\"" + volumeType
                + "\",\"driveLabel\":\"" + driveLabel + "\",\"recoveryPasswordId\":\"" + protectorId
                + "\",\"recoveryPassword\":\"" + password + "\",\"users\":[\"" + user.replace("\\", "\\\\")
                + "\"],\"createdAt\":\"2026-11-23T10:15:00Z\"}";
    }
}
