package com.lockkeeper.http;

import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.DeserializationProblemHandler;
import tools.jackson.databind.deser.ValueInstantiator;

/**
 * Lets binding go on past an unknown field or a value of the wrong JSON type, noting each as a
 * {@link FieldError} in the list that {@link JsonBodies} puts in the call's attributes, so one
 * answer names every problem. The value is skipped and the field left null. Reasons say what is
 * expected, never what was sent.
 */
final class BindingProblems extends DeserializationProblemHandler {

    /** The attribute that holds the call's list of errors. */
    static final Object ERRORS = BindingProblems.class;

    @Override
    public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p, ValueDeserializer<?> deserializer,
            Object beanOrClass, String propertyName) {
        errors(ctxt).add(FieldError.of(unknownField(ctxt, p, propertyName), "unknown field; the fields are "
                + known(deserializer.getKnownPropertyNames())));
        p.skipChildren();
        return true;
    }

    @Override
    public Object handleUnexpectedToken(DeserializationContext ctxt, JavaType targetType, JsonToken t, JsonParser p,
            String failureMsg) {
        return skip(ctxt, p, expected(targetType.getRawClass()));
    }

    @Override
    public Object handleMissingInstantiator(DeserializationContext ctxt, Class<?> instClass, ValueInstantiator valueInsta,
            JsonParser p, String msg) {
        return skip(ctxt, p, expected(instClass));
    }

    private static Object skip(DeserializationContext ctxt, JsonParser p, String reason) {
        errors(ctxt).add(FieldError.of(FieldPaths.of(valueContext(p)), reason));
        p.skipChildren();
        return null;
    }

    /**
     * Read in place (a record without components), the parser stands at the field's value. A
     * record built through its constructor has its unknown fields buffered and replayed after
     * its closing brace, from another parser: the main parser then stands in the record's
     * container, at the record's place.
     */
    private static String unknownField(DeserializationContext ctxt, JsonParser p, String name) {
        if (p == ctxt.getParser()) {
            return FieldPaths.of(valueContext(p));
        }
        return FieldPaths.child(FieldPaths.of(ctxt.getParser().streamReadContext()), name);
    }

    /** The context in which the current value has its name or index (an object or array has opened its own). */
    private static TokenStreamContext valueContext(JsonParser p) {
        TokenStreamContext context = p.streamReadContext();
        return p.isExpectedStartObjectToken() || p.isExpectedStartArrayToken() ? context.getParent() : context;
    }

    private static String expected(Class<?> type) {
        if (type == String.class) {
            return "must be a string";
        }
        if (Number.class.isAssignableFrom(type)) {
            return "must be a whole number";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "must be an array";
        }
        return "must be an object";
    }

    private static String known(Collection<Object> names) {
        TreeSet<String> sorted = new TreeSet<>();
        names.forEach(name -> sorted.add(String.valueOf(name)));
        return String.join(", ", sorted);
    }

    @SuppressWarnings("unchecked")
    private static List<FieldError> errors(DeserializationContext ctxt) {
        return (List<FieldError>) ctxt.getAttribute(ERRORS);
    }
}
