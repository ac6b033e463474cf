package com.lockkeeper.support;

import java.util.OptionalInt;

/**
 * Text a person reads (drive labels, account names, notes) holds only characters they can see
 * in the order they are stored. Control characters, format characters (right-to-left override
 * U+202E, right-to-left mark U+200F, zero-width space U+200B, ...), line and paragraph
 * separators and unpaired surrogates are refused: a label or name shown to the helpdesk could
 * otherwise read as something it is not.
 */
public final class ReadableText {

    private ReadableText() {
    }

    /** The position (1-based, in characters as a person counts them) of the first hidden character, if any. */
    public static OptionalInt firstHidden(String text) {
        int[] codePoints = text.codePoints().toArray();
        for (int i = 0; i < codePoints.length; i++) {
            if (hidden(codePoints[i])) {
                return OptionalInt.of(i + 1);
            }
        }
        return OptionalInt.empty();
    }

    /** {@code text} unchanged if every character is visible; otherwise an error naming the position, never the text. */
    public static String require(String text, String what) {
        OptionalInt position = firstHidden(text);
        if (position.isPresent()) {
            throw new InvalidValueException(what + " has an invisible or direction-changing character (a control or format"
                    + " character, or half of a surrogate pair) at position " + position.getAsInt() + "; type it again");
        }
        return text;
    }

    static boolean hidden(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.SURROGATE -> true;
            default -> false;
        };
    }
}
