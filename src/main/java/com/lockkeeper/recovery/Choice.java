package com.lockkeeper.recovery;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An entry of a list someone picks from (a recovery reason, an identity method, a resolution):
 * its label, and whether picking it needs notes too.
 */
public record Choice(String label, boolean needsNotes) {

    private static final String NOTES_REQUIRED = "(notes required)";

    public Choice {
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("a choice needs a label");
        }
        label = label.strip();
    }

    public static Choice plain(String label) {
        return new Choice(label, false);
    }

    public static Choice withNotes(String label) {
        return new Choice(label, true);
    }

    /**
     * An entry as configuration writes it: "Label (notes required)" needs notes, and so does an
     * entry starting with "Other", as documented. Spring's binder converts configured text with it.
     */
    public static Choice of(String configured) {
        String text = configured.strip();
        if (text.toLowerCase(Locale.ROOT).endsWith(NOTES_REQUIRED)) {
            return withNotes(text.substring(0, text.length() - NOTES_REQUIRED.length()));
        }
        return new Choice(text, text.toLowerCase(Locale.ROOT).startsWith("other"));
    }

    /** As a list shows it: "Other (notes required)". */
    public String shown() {
        return needsNotes ? label + " " + NOTES_REQUIRED : label;
    }

    /** Whether the typed text names this choice: its label or the way it is shown, any case. */
    public boolean isNamedBy(String typed) {
        return typed != null && (label.equalsIgnoreCase(typed.strip()) || shown().equalsIgnoreCase(typed.strip()));
    }

    /** The choice the typed text names. */
    public static Optional<Choice> find(List<Choice> choices, String typed) {
        return choices.stream().filter(choice -> choice.isNamedBy(typed)).findFirst();
    }

    /** The choices as a list shows them, for a message: "A | B | Other (notes required)". */
    public static String shownAll(List<Choice> choices) {
        return String.join(" | ", choices.stream().map(Choice::shown).toList());
    }
}
