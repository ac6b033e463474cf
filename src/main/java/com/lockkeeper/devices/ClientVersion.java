package com.lockkeeper.devices;

import com.lockkeeper.support.InvalidValueException;
import java.util.Optional;
import java.util.regex.Pattern;

/** The version a client says it is (`Lockkeeper-Client-Version`, or `clientVersion` at enrollment): informational. */
public final class ClientVersion {

    private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z.+-]{1,32}");

    private ClientVersion() {
    }

    public static String parse(String text) {
        if (text == null || !VERSION.matcher(text).matches()) {
            throw new InvalidValueException("must be a version of at most 32 characters (letters, digits, . + -), like 2.0.0");
        }
        return text;
    }

    /** A header's value if it is a version; anything else is not recorded (the header is informational). */
    public static Optional<String> ofHeader(String header) {
        return header != null && VERSION.matcher(header.strip()).matches() ? Optional.of(header.strip()) : Optional.empty();
    }
}
