package com.lockkeeper.http;

import com.lockkeeper.support.InvalidValueException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Collects every {@link FieldError} of one request, each under its field's path
 * ({@code volumes[1].volumeId}), so one answer names all that is wrong. Values go through the
 * value types' parsers; their {@link InvalidValueException} reasons (and recovery password
 * blocks) become the errors, and never repeat the input. A field already named (by the JSON
 * reader, say, for a wrong type) is not checked or named again.
 */
public final class FieldChecks {

    private final List<FieldError> errors;
    private final Set<String> named;
    private final String prefix;

    FieldChecks() {
        this(new ArrayList<>(), new HashSet<>(), "");
    }

    /** Checks that go on from what the JSON reader found. */
    FieldChecks(List<FieldError> found) {
        this();
        found.forEach(this::add);
    }

    private FieldChecks(List<FieldError> errors, Set<String> named, String prefix) {
        this.errors = errors;
        this.named = named;
        this.prefix = prefix;
    }

    /** The checks of the object at {@code field}, say {@code volumes[0]}: its fields are named {@code volumes[0].volumeId}. */
    public FieldChecks at(String field) {
        return new FieldChecks(errors, named, path(field) + ".");
    }

    /** The parsed value; absent (null) is named as required. */
    public <T> T required(String field, String value, Function<String, T> parse) {
        return present(field, value, "is required") ? parse(field, value, parse) : null;
    }

    /** The parsed value, or null when absent. */
    public <T> T optional(String field, String value, Function<String, T> parse) {
        return value == null || isNamed(field) ? null : parse(field, value, parse);
    }

    /** Whether the value is there and its field not already named; if absent, names it with {@code reasonIfAbsent}. */
    public boolean present(String field, Object value, String reasonIfAbsent) {
        if (isNamed(field)) {
            return false;
        }
        if (value == null) {
            reject(field, reasonIfAbsent);
            return false;
        }
        return true;
    }

    /** An optional array: absent is empty; more than {@code max} elements is named, and checked no further. */
    public <E> List<E> array(String field, List<E> values, int max) {
        if (values == null || isNamed(field)) {
            return List.of();
        }
        if (values.size() > max) {
            reject(field, "has more than " + max + " elements");
            return List.of();
        }
        return values;
    }

    /** A required array of {@code what}; as {@link #array}, but absent is named. */
    public <E> List<E> requiredArray(String field, List<E> values, int max, String what) {
        return present(field, values, "is required: an array of " + what) ? array(field, values, max) : List.of();
    }

    /** Each string of an array parsed, in order; a wrong one is named {@code field[i]} and left out. */
    public <T> List<T> strings(String field, List<String> values, Function<String, T> parse) {
        List<T> parsed = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            String element = element(field, i);
            T value = present(element, values.get(i), "must be a string") ? parse(element, values.get(i), parse) : null;
            if (value != null) {
                parsed.add(value);
            }
        }
        return parsed;
    }

    /**
     * Each object of an array checked by {@code check} with the element's own checks, in order;
     * {@code check} answers null for an element it found wrong, which is left out. A JSON null is
     * named with {@code reasonIfNull}.
     */
    public <E, T> List<T> objects(String field, List<E> values, String reasonIfNull, BiFunction<E, FieldChecks, T> check) {
        List<T> checked = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            String element = element(field, i);
            T value = present(element, values.get(i), reasonIfNull) ? check.apply(values.get(i), at(element)) : null;
            if (value != null) {
                checked.add(value);
            }
        }
        return checked;
    }

    /** Names the field with the reason, unless it is named already. The reason must not repeat the input. */
    public void reject(String field, String reason) {
        if (!isNamed(field)) {
            add(FieldError.of(path(field), reason));
        }
    }

    /** Every error found so far, in order: for a request that reads past some of them (one element left out, say). */
    public List<FieldError> found() {
        return List.copyOf(errors);
    }

    /** Throws the errors {@code fatal} selects, if there is any; the others stay for the caller to read with {@link #found}. */
    public void throwIf(Predicate<FieldError> fatal) {
        List<FieldError> thrown = errors.stream().filter(fatal).toList();
        if (!thrown.isEmpty()) {
            throw new InvalidRequestException(thrown);
        }
    }

    /** Throws every error of the request, if there is any. */
    public void throwIfAny() {
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
    }

    private boolean isNamed(String field) {
        return named.contains(path(field));
    }

    private <T> T parse(String field, String value, Function<String, T> parse) {
        try {
            return parse.apply(value);
        } catch (InvalidValueException e) {
            add(new FieldError(path(field), e.block().isPresent() ? e.block().getAsInt() : null, e.reason()));
            return null;
        }
    }

    private void add(FieldError error) {
        errors.add(error);
        named.add(Objects.requireNonNullElse(error.field(), ""));
    }

    private String path(String field) {
        return prefix + field;
    }

    private static String element(String field, int index) {
        return field + "[" + index + "]";
    }
}
