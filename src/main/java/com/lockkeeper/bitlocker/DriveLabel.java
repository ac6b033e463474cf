package com.lockkeeper.bitlocker;

import com.lockkeeper.support.InvalidValueException;
import com.lockkeeper.support.ReadableText;

/** A drive label as the BitLocker recovery screen shows it, like "DESKTOP-7F3K2 C: 11/23/2026". */
public final class DriveLabel {

    private static final int MAX_LENGTH = 256;

    private final String value;

    private DriveLabel(String value) {
        this.value = value;
    }

    public static DriveLabel of(String text) {
        String label = text == null ? "" : text.strip();
        if (label.isEmpty()) {
            throw new InvalidValueException("a drive label was expected; this is empty");
        }
        int length = label.codePointCount(0, label.length());
        if (length > MAX_LENGTH) {
            throw new InvalidValueException(
                    "a drive label has at most " + MAX_LENGTH + " characters; this has " + length);
        }
        return new DriveLabel(ReadableText.require(label, "a drive label"));
    }

    public String value() {
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DriveLabel that && value.equals(that.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }
}
