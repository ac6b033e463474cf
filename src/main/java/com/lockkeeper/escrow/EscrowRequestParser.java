package com.lockkeeper.escrow;

import com.lockkeeper.bitlocker.ComputerName;
import com.lockkeeper.bitlocker.DriveLabel;
import com.lockkeeper.bitlocker.InvalidValueException;
import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.RecoveryPassword;
import com.lockkeeper.bitlocker.VolumeId;
import com.lockkeeper.bitlocker.VolumeType;
import com.lockkeeper.http.FieldError;
import com.lockkeeper.http.InvalidRequestException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns the JSON body of `POST /api/v1/escrow` into an {@link EscrowCommand}, collecting every
 * problem with the field (and block) it concerns. Error texts never repeat the input: the body
 * holds a recovery password.
 */
final class EscrowRequestParser {

    static final int MAX_KEY_PACKAGE_BYTES = 16 * 1024;
    static final int MAX_USERS = 64;
    static final int MAX_ACCOUNT_LENGTH = 256;
    private static final Duration CLOCK_SKEW = Duration.ofDays(1);
    private static final Set<String> FIELDS = Set.of("computer", "volumeId", "volumeType", "driveLabel", "recoveryPasswordId",
            "recoveryPassword", "keyPackage", "users", "createdAt");

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final Clock clock;

    EscrowRequestParser(Clock clock) {
        this.clock = clock;
    }

    EscrowCommand parse(byte[] body) {
        JsonNode root = readObject(body);
        List<FieldError> errors = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.properties().iterator(); it.hasNext(); ) {
            String name = it.next().getKey();
            if (!FIELDS.contains(name)) {
                errors.add(FieldError.of(name, "unknown field; the fields are " + String.join(", ", new java.util.TreeSet<>(FIELDS))));
            }
        }
        ComputerName computer = required(root, "computer", ComputerName::parse, errors);
        VolumeId volumeId = required(root, "volumeId", VolumeId::parse, errors);
        VolumeType volumeType = required(root, "volumeType", VolumeType::parse, errors);
        DriveLabel driveLabel = optional(root, "driveLabel", DriveLabel::of, errors);
        ProtectorId protectorId = required(root, "recoveryPasswordId", ProtectorId::parse, errors);
        RecoveryPassword password = required(root, "recoveryPassword", RecoveryPassword::parse, errors);
        byte[] keyPackage = optional(root, "keyPackage", EscrowRequestParser::keyPackage, errors);
        Instant createdAt = optional(root, "createdAt", this::createdAt, errors);
        List<String> users = users(root, errors);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return new EscrowCommand(computer, volumeId, volumeType, driveLabel, protectorId, password, keyPackage, users, createdAt);
    }

    private static JsonNode readObject(byte[] body) {
        if (body.length == 0) {
            throw new InvalidRequestException(FieldError.of(null, "the body is empty; send a JSON object"));
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JacksonException e) {
            var location = e.getLocation();
            String where = location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
            String what = e.getMessage() != null && e.getMessage().startsWith("Duplicate") ? "a field appears twice" : "it is not valid JSON";
            throw new InvalidRequestException(FieldError.of(null, "the body cannot be read: " + what + where));
        }
        if (root == null || !root.isObject()) {
            throw new InvalidRequestException(FieldError.of(null, "the body must be a JSON object"));
        }
        return root;
    }

    private static <T> T required(JsonNode root, String field, Function<String, T> parse, List<FieldError> errors) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            errors.add(FieldError.of(field, "is required"));
            return null;
        }
        return parse(node, field, parse, errors);
    }

    private static <T> T optional(JsonNode root, String field, Function<String, T> parse, List<FieldError> errors) {
        JsonNode node = root.get(field);
        return node == null || node.isNull() ? null : parse(node, field, parse, errors);
    }

    private static <T> T parse(JsonNode node, String field, Function<String, T> parse, List<FieldError> errors) {
        if (!node.isString()) {
            errors.add(FieldError.of(field, "must be a string"));
            return null;
        }
        try {
            return parse.apply(node.stringValue());
        } catch (InvalidValueException e) {
            errors.add(new FieldError(field, e.block().isPresent() ? e.block().getAsInt() : null, e.reason()));
            return null;
        }
    }

    private static byte[] keyPackage(String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new InvalidValueException("is not valid base64");
        }
        if (bytes.length == 0) {
            throw new InvalidValueException("is empty; leave the field out when there is no key package");
        }
        if (bytes.length > MAX_KEY_PACKAGE_BYTES) {
            throw new InvalidValueException("is larger than " + MAX_KEY_PACKAGE_BYTES + " bytes");
        }
        return bytes;
    }

    private Instant createdAt(String text) {
        Instant instant;
        try {
            instant = java.time.OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidValueException("must be an ISO 8601 time with offset, like 2026-11-23T10:15:00Z");
        }
        if (instant.isAfter(clock.instant().plus(CLOCK_SKEW))) {
            throw new InvalidValueException("is in the future; check the device's clock");
        }
        return instant;
    }

    private static List<String> users(JsonNode root, List<FieldError> errors) {
        JsonNode node = root.get("users");
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            errors.add(FieldError.of("users", "must be an array of account names"));
            return List.of();
        }
        if (node.size() > MAX_USERS) {
            errors.add(FieldError.of("users", "has more than " + MAX_USERS + " accounts"));
            return List.of();
        }
        List<String> users = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode user = node.get(i);
            String field = "users[" + i + "]";
            if (!user.isString()) {
                errors.add(FieldError.of(field, "must be a string"));
            } else if (user.stringValue().isBlank() || user.stringValue().length() > MAX_ACCOUNT_LENGTH
                    || user.stringValue().chars().anyMatch(Character::isISOControl)) {
                errors.add(FieldError.of(field, "must be an account name of 1 to " + MAX_ACCOUNT_LENGTH
                        + " characters, like CORP\\alice or alice@corp.example.com"));
            } else if (users.stream().noneMatch(u -> u.equalsIgnoreCase(user.stringValue().trim()))) {
                users.add(user.stringValue().trim());
            }
        }
        return users;
    }
}
