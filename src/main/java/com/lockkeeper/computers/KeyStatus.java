package com.lockkeeper.computers;

import java.util.Locale;

/** A recovery key's life: escrowed, read out to someone, replaced on the device. */
public enum KeyStatus {
    ACTIVE, DISCLOSED, RETIRED;

    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static KeyStatus fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
