package com.lockkeeper.lifecycle;

import java.util.Locale;

/** What the server asks a device to do at its check-in. */
public enum ActionKind {
    /** Add a new recovery password protector, escrow it, remove this one. */
    ROTATE,
    /** This protector is on the device and was never escrowed: send it. */
    ESCROW;

    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static ActionKind fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
