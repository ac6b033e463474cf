package com.lockkeeper.lifecycle;

import java.util.Locale;

/** What an admin asks to rotate: one key, the keys of one computer, or every key. */
public enum RotationScope {
    KEY, COMPUTER, ALL;

    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
