package com.lockkeeper.recovery;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The lists the helpdesk picks from ({@code lockkeeper.recovery.reasons},
 * {@code lockkeeper.recovery.identity-methods}); defaults from recovery-process.md. An entry
 * that starts with "Other" needs free text with it.
 */
@ConfigurationProperties("lockkeeper.recovery")
public record RecoveryChoices(List<String> reasons, List<String> identityMethods) {

    static final List<String> DEFAULT_REASONS = List.of(
            "Operating system boot order changed",
            "BIOS/UEFI changed (firmware update or settings)",
            "Operating system boot files changed",
            "Lost startup key",
            "Lost or forgotten PIN",
            "TPM reset or cleared",
            "Lost passphrase",
            "Lost smart card",
            "Other (notes required)",
            "Too many PIN attempts (TPM lockout)",
            "Disk moved to another computer; motherboard or TPM replaced",
            "Windows Recovery Environment or a reset asked for the key",
            "Suspected tampering or malware",
            "Unknown");

    static final List<String> DEFAULT_IDENTITY_METHODS = List.of(
            "Call back to the number on file",
            "Confirmed by the user's manager",
            "In person, with badge or ID",
            "Verified sign-in (the caller signed in to another managed device)",
            "Other (notes required)");

    private static final String NOTES_REQUIRED = " (notes required)";

    public RecoveryChoices {
        reasons = reasons == null || reasons.isEmpty() ? DEFAULT_REASONS : List.copyOf(reasons);
        identityMethods = identityMethods == null || identityMethods.isEmpty() ? DEFAULT_IDENTITY_METHODS
                : List.copyOf(identityMethods);
    }

    public static RecoveryChoices defaults() {
        return new RecoveryChoices(null, null);
    }

    /** Whether picking this entry needs free text too. */
    public static boolean needsText(String entry) {
        return entry.strip().toLowerCase(Locale.ROOT).startsWith("other");
    }

    /** The entry the text names, any case, with or without its "(notes required)" suffix. */
    static Optional<String> find(List<String> entries, String text) {
        if (text == null) {
            return Optional.empty();
        }
        String wanted = text.strip();
        return entries.stream()
                .filter(entry -> entry.equalsIgnoreCase(wanted) || bareLabel(entry).equalsIgnoreCase(wanted))
                .findFirst();
    }

    /** The entry without a trailing "(notes required)", as it is written into the audit record. */
    static String bareLabel(String entry) {
        String label = entry.strip();
        return label.toLowerCase(Locale.ROOT).endsWith(NOTES_REQUIRED)
                ? label.substring(0, label.length() - NOTES_REQUIRED.length()).strip() : label;
    }
}
