package com.lockkeeper.http;

import java.util.function.Function;
import java.util.function.Predicate;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonParser.NumberType;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.std.StdScalarDeserializer;
import tools.jackson.databind.module.SimpleModule;

/**
 * Strings only from JSON strings, whole numbers only from JSON integers that fit: no number read
 * as a string, no "5" read as 5, no 1.5 rounded. Anything else goes to the problem handler as an
 * unexpected token, so it is named like any other wrong type. Jackson's coercion settings cannot
 * do this: a refused coercion throws at once and ends the binding.
 */
final class StrictScalars {

    private StrictScalars() {
    }

    static SimpleModule module() {
        return new SimpleModule("strict-scalars")
                .addDeserializer(String.class, new Exact<>(String.class, p -> p.hasToken(JsonToken.VALUE_STRING),
                        JsonParser::getString))
                .addDeserializer(Integer.class, new Exact<>(Integer.class, p -> p.hasToken(JsonToken.VALUE_NUMBER_INT)
                        && p.getNumberType() == NumberType.INT, JsonParser::getIntValue))
                .addDeserializer(Long.class, new Exact<>(Long.class, p -> p.hasToken(JsonToken.VALUE_NUMBER_INT)
                        && (p.getNumberType() == NumberType.INT || p.getNumberType() == NumberType.LONG), JsonParser::getLongValue));
    }

    private static final class Exact<T> extends StdScalarDeserializer<T> {

        private final transient Predicate<JsonParser> accepted;
        private final transient Function<JsonParser, T> read;

        Exact(Class<T> type, Predicate<JsonParser> accepted, Function<JsonParser, T> read) {
            super(type);
            this.accepted = accepted;
            this.read = read;
        }

        @Override
        @SuppressWarnings("unchecked")
        public T deserialize(JsonParser p, DeserializationContext ctxt) {
            return accepted.test(p) ? read.apply(p) : (T) ctxt.handleUnexpectedToken(handledType(), p);
        }
    }
}
