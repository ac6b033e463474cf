package com.lockkeeper.audit;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Structured audit detail: a small details record written as a JSON object of its non-null
 * fields, keys sorted, and read back by key. The stored string is what the hash chain covers,
 * so it is hashed as written. Never put a secret into a details record.
 */
public final class AuditDetails {

    /** The size of the {@code detail} column. */
    public static final int MAX_LENGTH = 2000;

    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private static final TypeReference<Map<String, Object>> FIELDS = new TypeReference<>() {
    };

    private AuditDetails() {
    }

    /** The details as JSON; if that would not fit the column, its longest values are shortened, ending in "…". */
    public static String json(Record details) {
        Map<String, Object> fields = new TreeMap<>(JSON.convertValue(details, FIELDS));
        fields.values().removeIf(value -> value == null);
        String json = JSON.writeValueAsString(fields);
        while (json.length() > MAX_LENGTH) {
            shortenLongest(fields, json.length() - MAX_LENGTH);
            json = JSON.writeValueAsString(fields);
        }
        return json;
    }

    /** The stored detail as a details record, if it is a JSON object; records written as free text are not. */
    public static <T extends Record> Optional<T> read(String stored, Class<T> type) {
        if (stored == null || !stored.strip().startsWith("{")) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(stored, type));
        } catch (JacksonException e) {
            return Optional.empty();
        }
    }

    private static void shortenLongest(Map<String, Object> fields, int excess) {
        Map.Entry<String, Object> longest = fields.entrySet().stream()
                .filter(field -> field.getValue() instanceof String)
                .max(Map.Entry.comparingByValue((a, b) -> Integer.compare(((String) a).length(), ((String) b).length())))
                .orElseThrow(() -> new IllegalArgumentException("audit details too long to fit the column"));
        String value = (String) longest.getValue();
        int keep = Math.max(0, value.length() - excess - 1);
        if (keep > 0 && Character.isHighSurrogate(value.charAt(keep - 1))) {
            keep--;
        }
        longest.setValue(value.substring(0, keep) + "…");
    }
}
