package com.lockkeeper.http;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a JSON request body into a record: exactly one JSON object, within a size limit, with no
 * field twice, no field the record lacks and every value of its record component's JSON type
 * (strings are strings, numbers whole numbers). Every such problem is named by its field's path;
 * the record's own values are checked next, with the {@link FieldChecks} the body comes with.
 * Nothing here repeats a value or Jackson's messages, which quote the input: bodies hold secrets.
 */
public final class JsonBodies {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS) // checked here, to name it as a body error
            .disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .withCoercionConfigDefaults(config -> Arrays.stream(CoercionInputShape.values())
                    .forEach(shape -> config.setCoercion(shape, CoercionAction.Fail)))
            .addModule(StrictScalars.module())
            .build();
    private static final ObjectReader READER = JSON.reader().withHandler(new BindingProblems());

    private JsonBodies() {
    }

    /** The body of an {@code application/json} request of at most {@code maxBytes}. */
    public static <T extends Record> JsonBody<T> read(HttpServletRequest request, int maxBytes, Class<T> type)
            throws IOException {
        String contentType = request.getContentType();
        if (contentType != null && !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new InvalidRequestException(FieldError.of(null, "send the body as application/json"));
        }
        return read(RequestBodies.read(request, maxBytes), type);
    }

    /** A body already read, or one line of a JSON Lines file. */
    public static <T extends Record> JsonBody<T> read(byte[] body, Class<T> type) {
        if (body.length == 0) {
            throw invalid("the body is empty; send a JSON object with " + fieldsOf(type));
        }
        List<FieldError> errors = new ArrayList<>();
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw invalid("the body must be a JSON object");
            }
            T value = READER.forType(type).withAttribute(BindingProblems.ERRORS, errors).readValue(parser);
            if (parser.nextToken() != null) {
                throw invalid("the body must be one JSON object, with nothing after it");
            }
            return new JsonBody<>(value, new FieldChecks(errors));
        } catch (StreamReadException e) {
            throw invalid("the body cannot be read: " + (isDuplicate(e) ? "a field appears twice" : "it is not valid JSON")
                    + where(e.getLocation()));
        } catch (DatabindException e) {
            errors.add(FieldError.of(FieldPaths.of(e.getPath()), "cannot be read as the expected JSON type"));
            throw new InvalidRequestException(errors);
        }
    }

    /** Jackson has no type of its own for a duplicate; its message starts so (and is never shown). */
    private static boolean isDuplicate(JacksonException e) {
        String message = e.getOriginalMessage();
        return message != null && message.startsWith("Duplicate");
    }

    private static String where(TokenStreamLocation location) {
        return location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    private static String fieldsOf(Class<? extends Record> type) {
        TreeSet<String> names = new TreeSet<>();
        Arrays.stream(type.getRecordComponents()).forEach(component -> names.add(component.getName()));
        return String.join(", ", names);
    }

    private static InvalidRequestException invalid(String reason) {
        return new InvalidRequestException(FieldError.of(null, reason));
    }
}
