package com.lockkeeper.bitlocker;

import com.lockkeeper.support.InvalidValueException;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Reads GUIDs as Windows writes them: as text, and as the 16 bytes of Microsoft's GUID structure
 * that Active Directory stores in binary attributes (msFVE-RecoveryGuid, msFVE-VolumeGuid, objectGUID).
 */
public final class Guids {

    /** The length of a binary GUID. */
    public static final int BYTES = 16;

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

    /**
     * The GUID in 16 bytes as Windows lays out its GUID structure: Data1 (4 bytes), Data2 and Data3 (2 bytes
     * each) little-endian, then Data4's 8 bytes as they are. {00112233-4455-6677-8899-AABBCCDDEEFF} is
     * 33 22 11 00 55 44 77 66 88 99 AA BB CC DD EE FF.
     */
    public static UUID fromMicrosoftBytes(byte[] bytes) {
        if (bytes == null || bytes.length != BYTES) {
            throw new InvalidValueException("a binary GUID of " + BYTES + " bytes was expected"
                    + (bytes == null ? "" : "; this has " + bytes.length));
        }
        long high = (bytes[3] & 0xFFL) << 56 | (bytes[2] & 0xFFL) << 48 | (bytes[1] & 0xFFL) << 40 | (bytes[0] & 0xFFL) << 32
                | (bytes[5] & 0xFFL) << 24 | (bytes[4] & 0xFFL) << 16 | (bytes[7] & 0xFFL) << 8 | bytes[6] & 0xFFL;
        long low = 0;
        for (int i = 8; i < BYTES; i++) {
            low = low << 8 | bytes[i] & 0xFFL;
        }
        return new UUID(high, low);
    }

    /** The 16 bytes of Microsoft's GUID structure for {@code guid}: the inverse of {@link #fromMicrosoftBytes}. */
    public static byte[] toMicrosoftBytes(UUID guid) {
        long high = guid.getMostSignificantBits();
        long low = guid.getLeastSignificantBits();
        byte[] bytes = new byte[BYTES];
        int[] order = {3, 2, 1, 0, 5, 4, 7, 6};
        for (int i = 0; i < 8; i++) {
            bytes[order[i]] = (byte) (high >>> (56 - 8 * i));
        }
        for (int i = 0; i < 8; i++) {
            bytes[8 + i] = (byte) (low >>> (56 - 8 * i));
        }
        return bytes;
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
