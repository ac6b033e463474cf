package com.lockkeeper.migration;

import java.util.List;

/** A source with entries that cannot be imported: nothing was stored. The message names the first ones and their fields. */
public final class InvalidSourceException extends RuntimeException {

    static final int SHOWN = 20;

    InvalidSourceException(String message) {
        super(message);
    }

    static InvalidSourceException listing(String source, long bad, List<String> errors, String what) {
        return new InvalidSourceException(source + " has " + bad + " " + what + "(s) that cannot be imported; nothing was"
                + " imported. Fix them and run the import again:\n  " + String.join("\n  ", errors)
                + (bad > errors.size() ? "\n  ... and " + (bad - errors.size()) + " more" : ""));
    }
}
