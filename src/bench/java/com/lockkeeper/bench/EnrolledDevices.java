package com.lockkeeper.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Devices enrolled the way the Windows client enrolls (the enrollment token, once per device),
 * whose credentials the escrow load then uses: what a fleet's escrows look like once its devices
 * are enrolled. The credentials go to a file of the owner's only, which the Lua script reads.
 */
final class EnrolledDevices {

    private static final Pattern CREDENTIAL = Pattern.compile("\"credential\"\\s*:\\s*\"(lkd_[A-Za-z0-9_-]+)\"");

    private EnrolledDevices() {
    }

    /** Enrolls {@code count} new computers named {@code LOAD-DEV-<run>-<i>}; answers the file of "computer credential" lines. */
    static Path enroll(ServerProcess server, String enrollmentToken, int count, String run, Path work) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        List<String> lines = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String computer = "LOAD-DEV-" + run + "-" + i + ".corp.example.com";
            String body = "{\"computer\":\"" + computer + "\",\"hardwareId\":\"" + UUID.randomUUID() + "\",\"clientVersion\":\"2.0.0\"}";
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(server.base() + "/api/v1/devices/enroll"))
                    .header("Authorization", "Bearer " + enrollmentToken).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            Matcher credential = CREDENTIAL.matcher(answer.body());
            if (answer.statusCode() != 201 || !credential.find()) {
                throw new IllegalStateException("enrolling " + computer + " answered " + answer.statusCode());
            }
            lines.add(computer + " " + credential.group(1));
        }
        Path file = work.resolve("devices-" + run + ".txt");
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(file, lines);
        return file;
    }
}
