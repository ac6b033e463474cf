package com.lockkeeper.reports;

import java.util.Collection;
import java.util.Locale;
import java.util.stream.Collectors;

/** Protector IDs as the recovery screen shows them: their first 8 hex digits. */
final class ShortIds {

    private ShortIds() {
    }

    /** The 8 hex digits of a protector ID in any of its written forms. */
    static String of(String protectorId) {
        if (protectorId == null) {
            return null;
        }
        String hex = protectorId.replaceAll("[^0-9A-Fa-f]", "").toUpperCase(Locale.ROOT);
        return hex.length() >= 8 ? hex.substring(0, 8) : hex;
    }

    /** Several, separated by spaces. */
    static String of(Collection<String> protectorIds) {
        return protectorIds.stream().map(ShortIds::of).collect(Collectors.joining(" "));
    }
}
