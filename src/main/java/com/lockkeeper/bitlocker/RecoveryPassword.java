package com.lockkeeper.bitlocker;

import com.lockkeeper.bitlocker.RecoveryPasswordException.Error;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The 48-digit BitLocker recovery password. It encodes 16 key bytes: block i is 11 times the
 * little-endian 16-bit word at bytes 2i and 2i+1.
 */
public final class RecoveryPassword {

    public static final int KEY_LENGTH = 16;
    private static final int BLOCKS = 8;
    private static final int BLOCK_DIGITS = 6;
    private static final int DIGITS = BLOCKS * BLOCK_DIGITS;
    private static final int CHECKSUM_DIVISOR = 11;
    private static final int LARGEST_BLOCK = CHECKSUM_DIVISOR * 0xFFFF;
    private static final Pattern SEPARATORS = Pattern.compile("[- ]+");

    private final byte[] key;

    private RecoveryPassword(byte[] key) {
        this.key = key;
    }

    public static RecoveryPassword parse(String text) {
        if (text == null) {
            throw lengthError("none was given");
        }
        String[] groups = SEPARATORS.split(text.strip(), -1);
        if (groups.length == 1 && groups[0].length() == DIGITS && isAllDigits(groups[0])) {
            groups = splitIntoBlocks(groups[0]);
        }
        if (groups.length != BLOCKS) {
            throw wrongShape(text.strip());
        }
        byte[] key = new byte[KEY_LENGTH];
        for (int i = 0; i < BLOCKS; i++) {
            int block = i + 1;
            checkCharacters(block, groups[i]);
            if (groups[i].length() != BLOCK_DIGITS) {
                // Eight blocks as typed: the short or long one is named, and the total if it is off too.
                int digits = countDigits(text);
                throw new RecoveryPasswordException(Error.LENGTH, "block " + block + " has " + groups[i].length()
                        + " digits; each block has " + BLOCK_DIGITS + (digits == DIGITS ? ""
                                : " (this has " + digits + " digits; a recovery password has " + DIGITS + ")"), block);
            }
            int word = checkedValue(block, groups[i]) / CHECKSUM_DIVISOR;
            key[2 * i] = (byte) word;
            key[2 * i + 1] = (byte) (word >>> 8);
        }
        return new RecoveryPassword(key);
    }

    /**
     * Checks one typed block the way the BitLocker recovery screen does as it is typed, so a
     * helpdesk can tell which block was misread.
     */
    public static void checkBlock(int n, String typed) {
        checkBlockNumber(n);
        String block = typed == null ? "" : typed.strip();
        checkCharacters(n, block);
        checkedValue(n, block);
    }

    public static RecoveryPassword fromKeyBytes(byte[] key) {
        if (key == null || key.length != KEY_LENGTH) {
            throw new IllegalArgumentException("a recovery password key has " + KEY_LENGTH + " bytes; "
                    + (key == null ? "none was given" : "this has " + key.length));
        }
        return new RecoveryPassword(key.clone());
    }

    public static RecoveryPassword generate(SecureRandom random) {
        Objects.requireNonNull(random, "random");
        byte[] key = new byte[KEY_LENGTH];
        random.nextBytes(key);
        return new RecoveryPassword(key);
    }

    public byte[] keyBytes() {
        return key.clone();
    }

    /** The password in its canonical form: 8 blocks of 6 digits joined by dashes. */
    public String reveal() {
        StringBuilder digits = new StringBuilder(DIGITS + BLOCKS - 1);
        for (int n = 1; n <= BLOCKS; n++) {
            if (n > 1) {
                digits.append('-');
            }
            digits.append(block(n));
        }
        return digits.toString();
    }

    /** Block n (1-8) of the password, 6 digits. */
    public String block(int n) {
        checkBlockNumber(n);
        int i = n - 1;
        int word = (key[2 * i] & 0xFF) | (key[2 * i + 1] & 0xFF) << 8;
        return String.format("%06d", word * CHECKSUM_DIVISOR);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RecoveryPassword that && MessageDigest.isEqual(key, that.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return "RecoveryPassword[redacted]";
    }

    private static void checkBlockNumber(int n) {
        if (n < 1 || n > BLOCKS) {
            throw new IllegalArgumentException("a block number is 1 to " + BLOCKS + "; this is " + n);
        }
    }

    private static void checkCharacters(int block, String group) {
        if (!isAllDigits(group)) {
            throw new RecoveryPasswordException(Error.CHARACTER,
                    "block " + block + " has a character that is not a digit", block);
        }
    }

    private static int checkedValue(int block, String group) {
        if (group.length() != BLOCK_DIGITS) {
            throw new RecoveryPasswordException(Error.LENGTH,
                    "block " + block + " has " + group.length() + " digits; each block has " + BLOCK_DIGITS,
                    block);
        }
        int value = Integer.parseInt(group);
        if (value > LARGEST_BLOCK) {
            // The bound is written as the largest valid block, not 720896, so the message
            // never repeats a block the user typed.
            throw new RecoveryPasswordException(Error.RANGE,
                    "block " + block + " is out of range (each block is at most " + LARGEST_BLOCK + ")", block);
        }
        if (value % CHECKSUM_DIVISOR != 0) {
            throw new RecoveryPasswordException(Error.CHECKSUM,
                    "block " + block + " fails its checksum (each block is a multiple of " + CHECKSUM_DIVISOR
                            + "): check the digits of block " + block,
                    block);
        }
        return value;
    }

    private static RecoveryPasswordException wrongShape(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!isDigit(c) && c != '-' && c != ' ') {
                return new RecoveryPasswordException(Error.CHARACTER,
                        "a recovery password has only digits, with blocks separated by - or spaces");
            }
        }
        return lengthError("this has " + countDigits(text) + " digits");
    }

    private static RecoveryPasswordException lengthError(String found) {
        return new RecoveryPasswordException(Error.LENGTH,
                "a recovery password has " + DIGITS + " digits in " + BLOCKS + " blocks of " + BLOCK_DIGITS
                        + "; " + found);
    }

    private static String[] splitIntoBlocks(String digits) {
        String[] blocks = new String[BLOCKS];
        for (int i = 0; i < BLOCKS; i++) {
            blocks[i] = digits.substring(i * BLOCK_DIGITS, (i + 1) * BLOCK_DIGITS);
        }
        return blocks;
    }

    private static int countDigits(String text) {
        int count = 0;
        for (int i = 0; i < text.length(); i++) {
            if (isDigit(text.charAt(i))) {
                count++;
            }
        }
        return count;
    }

    private static boolean isAllDigits(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (!isDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
