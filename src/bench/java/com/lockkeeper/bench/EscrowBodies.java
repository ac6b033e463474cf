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
        String body = "{\"computer\":\"" + name + ".corp.example.com\",\"volumeId\":\"" + UUID.randomUUID()
                + "\",\"volumeType\":\"OperatingSystem\",\"driveLabel\":\"" + name + " C: 11/23/2026\""
                + ",\"recoveryPasswordId\":\"{" + UUID.randomUUID().toString().toUpperCase() + "}\""
                + ",\"recoveryPassword\":\"" + Fleet.password(i, 0).reveal() + "\""
                + ",\"users\":[\"CORP\\\\alice\"],\"createdAt\":\"2026-11-23T10:15:00Z\"}";
        return HttpRequest.newBuilder(URI.create(server.base() + "/api/v1/escrow"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }
}
