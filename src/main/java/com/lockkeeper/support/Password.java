package com.lockkeeper.support;

import java.util.Arrays;

/**
 * A password typed by an admin (DMK password, export password, account password). Holds the
 * characters only as long as needed: {@link #close()} wipes them. Never printed.
 */
public final class Password implements AutoCloseable {

    private final char[] chars;

    private Password(char[] chars) {
        this.chars = chars;
    }

    /** Takes ownership of {@code chars}: the caller must not reuse the array. */
    public static Password wrap(char[] chars) {
        if (chars == null || chars.length == 0) {
            throw new IllegalArgumentException("the password is empty");
        }
        return new Password(chars);
    }

    public static Password copyOf(CharSequence text) {
        char[] chars = new char[text.length()];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = text.charAt(i);
        }
        return wrap(chars);
    }

    /** The characters themselves; the array stays owned by this object. */
    public char[] chars() {
        return chars;
    }

    public int length() {
        return chars.length;
    }

    public boolean sameAs(Password other) {
        return Arrays.equals(chars, other.chars);
    }

    @Override
    public void close() {
        Arrays.fill(chars, '\0');
    }

    @Override
    public String toString() {
        return "Password[redacted]";
    }
}
