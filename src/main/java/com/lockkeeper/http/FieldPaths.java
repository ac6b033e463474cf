package com.lockkeeper.http;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamContext;

/** Field names as the API's errors spell them: {@code volumes[0].volumeId}, {@code users[2]}; the body itself is null. */
final class FieldPaths {

    private FieldPaths() {
    }

    /** The field a Jackson exception points at. */
    static String of(List<JacksonException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : references) {
            if (reference.getPropertyName() != null) {
                appendName(path, reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? null : path.toString();
    }

    /** The field whose value a parser's context stands in (the name or index its container is at). */
    static String of(TokenStreamContext context) {
        Deque<TokenStreamContext> chain = new ArrayDeque<>();
        for (TokenStreamContext c = context; c != null; c = c.getParent()) {
            chain.push(c);
        }
        StringBuilder path = new StringBuilder();
        for (TokenStreamContext c : chain) {
            if (c.inObject() && c.currentName() != null) {
                appendName(path, c.currentName());
            } else if (c.inArray() && c.getCurrentIndex() >= 0) {
                path.append('[').append(c.getCurrentIndex()).append(']');
            }
        }
        return path.isEmpty() ? null : path.toString();
    }

    /** {@code name} inside the object at {@code parent} (null for the body). */
    static String child(String parent, String name) {
        return parent == null ? name : parent + "." + name;
    }

    private static void appendName(StringBuilder path, String name) {
        if (!path.isEmpty()) {
            path.append('.');
        }
        path.append(name);
    }
}
