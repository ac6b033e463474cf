package com.lockkeeper.helpdesk;

import com.lockkeeper.recovery.HelpdeskRequest;
import com.lockkeeper.http.FieldError;
import com.lockkeeper.http.InvalidRequestException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The JSON body of a reveal or key-package request: text fields only, each named when wrong. */
final class RevealBodyParser {

    static final int MAX_BODY_BYTES = 16 * 1024;
    private static final Set<String> FIELDS = Set.of("reason", "identityVerification", "requester", "notes", "justification");
    private static final JsonMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private RevealBodyParser() {
    }

    static HelpdeskRequest parse(byte[] body) {
        if (body.length == 0) {
            throw new InvalidRequestException(FieldError.of(null, "the body is empty; send a JSON object with "
                    + String.join(", ", new TreeSet<>(FIELDS))));
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JacksonException e) {
            throw new InvalidRequestException(FieldError.of(null, "the body is not valid JSON; send one JSON object"));
        }
        if (root == null || !root.isObject()) {
            throw new InvalidRequestException(FieldError.of(null, "the body must be one JSON object"));
        }
        List<FieldError> errors = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (!FIELDS.contains(field.getKey())) {
                errors.add(FieldError.of(field.getKey(), "unknown field; the fields are " + String.join(", ", new TreeSet<>(FIELDS))));
            } else if (!field.getValue().isString() && !field.getValue().isNull()) {
                errors.add(FieldError.of(field.getKey(), "must be a string"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return new HelpdeskRequest(text(root, "requester"), text(root, "identityVerification"), null,
                text(root, "justification"), text(root, "reason"), text(root, "notes"));
    }

    private static String text(JsonNode root, String name) {
        JsonNode value = root.get(name);
        return value == null || value.isNull() ? null : value.asString();
    }
}
