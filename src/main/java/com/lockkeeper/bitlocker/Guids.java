package com.lockkeeper.bitlocker;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads GUID text as Windows writes it. */
final class Guids {

    static final int HEX_DIGITS = 32;
    private static final Pattern DASHED =
            Pattern.compile("[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}");
    private static final Pattern UNDASHED = Pattern.compile("[0-9A-Fa-f]{32}");

    private Guids() {
    }

    /**
     * The GUID's 32 hex digits, upper case, for a dashed (or, when allowed, undashed) GUID with
     * optional balanced braces.
     */
    static Optional<String> hexDigits(String text, boolean undashedAllowed) {
        if (text == null) {
            return Optional.empty();
        }
        String guid = withoutBraces(text.strip());
        if (guid == null) {
            return Optional.empty();
        }
        boolean valid = DASHED.matcher(guid).matches() || undashedAllowed && UNDASHED.matcher(guid).matches();
        return valid ? Optional.of(guid.replace("-", "").toUpperCase(Locale.ROOT)) : Optional.empty();
    }

    static boolean isHexDigit(char c) {
        return c >= '0' && c <= '9' || c >= 'A' && c <= 'F' || c >= 'a' && c <= 'f';
    }

    /** The dashed 8-4-4-4-12 form of 32 hex digits. */
    static String dashed(String hex) {
        return hex.substring(0, 8) + '-' + hex.substring(8, 12) + '-' + hex.substring(12, 16) + '-'
                + hex.substring(16, 20) + '-' + hex.substring(20);
    }

    /** The text inside balanced braces, the text itself without braces, or null when unbalanced. */
    private static String withoutBraces(String text) {
        boolean opens = text.startsWith("{");
        boolean closes = text.endsWith("}");
        if (opens != closes) {
            return null;
        }
        return opens ? text.substring(1, text.length() - 1) : text;
    }
}
