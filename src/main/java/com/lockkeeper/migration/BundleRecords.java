package com.lockkeeper.migration;

import com.lockkeeper.computers.ExportedKey;
import com.lockkeeper.computers.KeyStatus;
import com.lockkeeper.escrow.EscrowCommand;
import com.lockkeeper.escrow.EscrowRequest;
import com.lockkeeper.http.FieldError;
import com.lockkeeper.http.InvalidRequestException;
import com.lockkeeper.http.JsonBodies;
import com.lockkeeper.http.JsonBody;
import java.time.Clock;
import java.util.Base64;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One key inside a bundle, before it is sealed: {@code {"escrow": {…}, "status": …, "placeholder": …}}
 * where {@code escrow} is the key in the format of {@code POST /api/v1/escrow}, so the importing
 * installation checks it by the API's rules.
 */
final class BundleRecords {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A record read back: the escrow, the status the source had, and whether its volume is a placeholder. */
    record Read(EscrowCommand command, KeyStatus status, boolean placeholder) {
    }

    private BundleRecords() {
    }

    /** The record's bytes; they hold the recovery password in clear, to be sealed to the bundle at once. */
    static byte[] write(ExportedKey key, String recoveryPassword, byte[] keyPackage) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode escrow = root.putObject("escrow");
        escrow.put("computer", key.domain() == null ? key.computer() : key.computer() + "." + key.domain());
        escrow.put("volumeId", key.volumeId().toString());
        escrow.put("volumeType", key.volumeType());
        if (key.driveLabel() != null) {
            escrow.put("driveLabel", key.driveLabel());
        }
        escrow.put("recoveryPasswordId", key.protectorId().toString());
        escrow.put("recoveryPassword", recoveryPassword);
        if (keyPackage != null) {
            escrow.put("keyPackage", Base64.getEncoder().encodeToString(keyPackage));
        }
        var users = escrow.putArray("users");
        key.users().forEach(users::add);
        escrow.put("createdAt", key.createdAt().toString());
        root.put("status", key.status().dbValue());
        root.put("placeholder", key.placeholder());
        return JSON.writeValueAsBytes(root);
    }

    /** The record checked; throws naming the fields that are wrong (never their values). */
    static Read read(byte[] record, Clock clock) {
        JsonNode root;
        try {
            root = JSON.readTree(record);
        } catch (RuntimeException e) {
            throw new InvalidSourceException("is not JSON");
        }
        JsonNode escrow = root.get("escrow");
        if (escrow == null || !escrow.isObject()) {
            throw new InvalidSourceException("has no escrow");
        }
        KeyStatus status;
        try {
            status = KeyStatus.fromDb(root.path("status").asString("active"));
        } catch (RuntimeException e) {
            throw new InvalidSourceException("status: is not active, disclosed or retired");
        }
        try {
            JsonBody<EscrowRequest> body = JsonBodies.read(JSON.writeValueAsBytes(escrow), EscrowRequest.class);
            return new Read(body.value().command(body.checks(), clock), status, root.path("placeholder").asBoolean(false));
        } catch (InvalidRequestException e) {
            throw new InvalidSourceException(e.errors().stream().map(FieldError::describe).collect(Collectors.joining("; ")));
        }
    }
}
