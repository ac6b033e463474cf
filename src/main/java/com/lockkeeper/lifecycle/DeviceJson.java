package com.lockkeeper.lifecycle;

import com.lockkeeper.bitlocker.InvalidValueException;
import com.lockkeeper.http.FieldError;
import com.lockkeeper.http.InvalidRequestException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reading the device API's JSON bodies field by field, as the escrow API does: every problem is
 * collected with the path of its field ({@code volumes[1].volumeId}), and texts never repeat
 * the input.
 */
final class DeviceJson {

    private static final JsonMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final Duration CLOCK_SKEW = Duration.ofDays(1);

    private final List<FieldError> errors = new ArrayList<>();

    static JsonNode readObject(HttpServletRequest request, int maxBytes) throws IOException {
        String type = request.getContentType();
        if (type != null && !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new InvalidRequestException(FieldError.of(null, "send the body as application/json"));
        }
        byte[] body = com.lockkeeper.http.RequestBodies.read(request, maxBytes);
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

    /** Throws the collected problems, if any. */
    void throwIfAny() {
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
    }

    void error(String field, String reason) {
        errors.add(FieldError.of(field, reason));
    }

    int errorCount() {
        return errors.size();
    }

    void onlyKnown(JsonNode object, String prefix, Set<String> fields) {
        object.properties().forEach(entry -> {
            if (!fields.contains(entry.getKey())) {
                error(prefix + entry.getKey(), "unknown field; the fields are " + String.join(", ", new TreeSet<>(fields)));
            }
        });
    }

    <T> T required(JsonNode object, String prefix, String field, Function<String, T> parse) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            error(prefix + field, "is required");
            return null;
        }
        return parse(node, prefix + field, parse);
    }

    <T> T optional(JsonNode object, String prefix, String field, Function<String, T> parse) {
        JsonNode node = object.get(field);
        return node == null || node.isNull() ? null : parse(node, prefix + field, parse);
    }

    <T> T parse(JsonNode node, String path, Function<String, T> parse) {
        if (!node.isString()) {
            error(path, "must be a string");
            return null;
        }
        try {
            return parse.apply(node.stringValue());
        } catch (InvalidValueException e) {
            errors.add(new FieldError(path, e.block().isPresent() ? e.block().getAsInt() : null, e.reason()));
            return null;
        }
    }

    /** An array of at most {@code max} elements; absent is an empty list unless required. */
    List<JsonNode> array(JsonNode object, String prefix, String field, int max, boolean required, String what) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                error(prefix + field, "is required: an array of " + what);
            }
            return List.of();
        }
        if (!node.isArray()) {
            error(prefix + field, "must be an array of " + what);
            return List.of();
        }
        if (node.size() > max) {
            error(prefix + field, "has more than " + max + " elements");
            return List.of();
        }
        List<JsonNode> elements = new ArrayList<>();
        node.forEach(elements::add);
        return elements;
    }

    Integer integer(JsonNode object, String prefix, String field, boolean required) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                error(prefix + field, "is required");
            }
            return null;
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber()) {
            error(prefix + field, "must be a whole number");
            return null;
        }
        return node.intValue();
    }

    Long longValue(JsonNode object, String prefix, String field) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 0) {
            error(prefix + field, "must be a whole number, 0 or more");
            return null;
        }
        return node.longValue();
    }

    /** A validator for short words from a closed vocabulary's alphabet (protector types, encryption methods...). */
    static Function<String, String> word(int maxLength, String example) {
        Pattern pattern = Pattern.compile("[A-Za-z0-9_+-]{1," + maxLength + "}");
        return text -> {
            if (!pattern.matcher(text).matches()) {
                throw new InvalidValueException("must be 1 to " + maxLength + " letters or digits, like " + example);
            }
            return text;
        };
    }

    /** A validator for free text from a device's log: bounded, one line. */
    static Function<String, String> text(int maxLength) {
        return text -> {
            String stripped = text.strip();
            if (stripped.isEmpty()) {
                throw new InvalidValueException("is empty; leave the field out instead");
            }
            if (stripped.length() > maxLength) {
                throw new InvalidValueException("is longer than " + maxLength + " characters");
            }
            return stripped.replaceAll("\\p{Cntrl}", " ");
        };
    }

    /** One value of a fixed list, in the list's spelling whatever the case sent. */
    static Function<String, String> oneOf(String... values) {
        return text -> {
            for (String value : values) {
                if (value.equalsIgnoreCase(text.strip())) {
                    return value;
                }
            }
            throw new InvalidValueException("must be one of " + String.join(", ", values));
        };
    }

    static Function<String, Instant> time(Clock clock) {
        return text -> {
            Instant instant;
            try {
                instant = OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                throw new InvalidValueException("must be an ISO 8601 time with offset, like 2026-11-23T10:15:00Z");
            }
            if (instant.isAfter(clock.instant().plus(CLOCK_SKEW))) {
                throw new InvalidValueException("is in the future; check the device's clock");
            }
            return instant;
        };
    }
}
