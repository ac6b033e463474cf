package com.lockkeeper.bitlocker;

import com.lockkeeper.support.InvalidValueException;
import java.util.Locale;

/**
 * The ID of a recovery password protector, a GUID Windows shows in braces and upper case, like
 * {4D3C2B1A-8F7E-4A6B-9C0D-112233445566}. The recovery screen shows its first 8 hex digits.
 */
public final class ProtectorId {

    private static final int SHORT_ID_DIGITS = 8;
    private static final String EXPECTED = "a GUID like {4D3C2B1A-8F7E-4A6B-9C0D-112233445566} was expected";

    private final String hex;

    private ProtectorId(String hex) {
        this.hex = hex;
    }

    public static ProtectorId parse(String text) {
        return Guids.hexDigits(text, true)
                .map(ProtectorId::new)
                .orElseThrow(() -> new InvalidValueException(EXPECTED));
    }

    /** A password ID as Active Directory stores it in msFVE-RecoveryGuid: 16 bytes in Microsoft's GUID layout. */
    public static ProtectorId fromMicrosoftBytes(byte[] bytes) {
        return new ProtectorId(Guids.fromMicrosoftBytes(bytes).toString().replace("-", "").toUpperCase(Locale.ROOT));
    }

    /** A protector ID from its 32 hex digits in display order, any case. */
    public static ProtectorId fromHex(String hex32) {
        if (hex32 == null || hex32.length() != Guids.HEX_DIGITS || !isAllHex(hex32)) {
            throw new InvalidValueException("a password ID of " + Guids.HEX_DIGITS
                    + " hex digits (0-9, A-F) without dashes or braces was expected");
        }
        return new ProtectorId(hex32.toUpperCase(Locale.ROOT));
    }

    /**
     * The hex-digit prefix a user typed to search for a password ID: braces, dashes and
     * whitespace dropped, upper case.
     */
    public static String normalizeIdPrefix(String typed) {
        StringBuilder prefix = new StringBuilder();
        String text = typed == null ? "" : typed;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{' || c == '}' || c == '-' || Character.isWhitespace(c)) {
                continue;
            }
            if (!Guids.isHexDigit(c)) {
                throw new InvalidValueException("the password ID has only the digits 0-9 and letters A-F");
            }
            prefix.append(c);
        }
        if (prefix.isEmpty()) {
            throw new InvalidValueException("at least one hex digit of the password ID was expected");
        }
        if (prefix.length() > Guids.HEX_DIGITS) {
            throw new InvalidValueException("a password ID has at most " + Guids.HEX_DIGITS + " hex digits");
        }
        return prefix.toString().toUpperCase(Locale.ROOT);
    }

    /** The 32 hex digits, upper case, in display order, without dashes: the stored and searched form. */
    public String hex() {
        return hex;
    }

    /** The first 8 hex digits, the "password ID" the recovery screen shows. */
    public String shortId() {
        return hex.substring(0, SHORT_ID_DIGITS);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ProtectorId that && hex.equals(that.hex);
    }

    @Override
    public int hashCode() {
        return hex.hashCode();
    }

    @Override
    public String toString() {
        return "{" + Guids.dashed(hex) + "}";
    }

    private static boolean isAllHex(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (!Guids.isHexDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
