package com.lockkeeper.http;

import com.lockkeeper.support.InvalidValueException;
import com.lockkeeper.support.ReadableText;
import java.util.function.Function;
import java.util.regex.Pattern;

/** Parsers for plain text fields of request bodies, for {@link FieldChecks}. Reasons never repeat the input. */
public final class TextValues {

    private TextValues() {
    }

    /** A short word from a closed vocabulary's alphabet (protector types, encryption methods...). */
    public static Function<String, String> word(int maxLength, String example) {
        Pattern pattern = Pattern.compile("[A-Za-z0-9_+-]{1," + maxLength + "}");
        return text -> {
            if (!pattern.matcher(text).matches()) {
                throw new InvalidValueException("must be 1 to " + maxLength + " letters or digits, like " + example);
            }
            return text;
        };
    }

    /**
     * Free text on one line, stripped and bounded: tabs and line breaks (as event log messages
     * have them) become spaces; any other hidden character is refused ({@link ReadableText}).
     */
    public static Function<String, String> line(int maxLength) {
        return text -> {
            String stripped = text.strip();
            if (stripped.isEmpty()) {
                throw new InvalidValueException("is empty; leave the field out instead");
            }
            if (stripped.length() > maxLength) {
                throw new InvalidValueException("is longer than " + maxLength + " characters");
            }
            return ReadableText.require(stripped.replaceAll("[\\t\\r\\n]+", " "), "the text");
        };
    }

    /** One value of a fixed list, in the list's spelling whatever the case sent. */
    public static Function<String, String> oneOf(String... values) {
        return text -> {
            for (String value : values) {
                if (value.equalsIgnoreCase(text.strip())) {
                    return value;
                }
            }
            throw new InvalidValueException("must be one of " + String.join(", ", values));
        };
    }
}
