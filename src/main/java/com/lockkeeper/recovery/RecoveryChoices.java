package com.lockkeeper.recovery;

import static com.lockkeeper.recovery.Choice.plain;
import static com.lockkeeper.recovery.Choice.withNotes;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The lists the helpdesk picks from ({@code lockkeeper.recovery.reasons},
 * {@code lockkeeper.recovery.identity-methods}); defaults from recovery-process.md. Entries are
 * configured as text, read by {@link Choice#of}.
 */
@ConfigurationProperties("lockkeeper.recovery")
public record RecoveryChoices(List<Choice> reasons, List<Choice> identityMethods) {

    static final List<Choice> DEFAULT_REASONS = List.of(
            plain("Operating system boot order changed"),
            plain("BIOS/UEFI changed (firmware update or settings)"),
            plain("Operating system boot files changed"),
            plain("Lost startup key"),
            plain("Lost or forgotten PIN"),
            plain("TPM reset or cleared"),
            plain("Lost passphrase"),
            plain("Lost smart card"),
            withNotes("Other"),
            plain("Too many PIN attempts (TPM lockout)"),
            plain("Disk moved to another computer; motherboard or TPM replaced"),
            plain("Windows Recovery Environment or a reset asked for the key"),
            plain("Suspected tampering or malware"),
            plain("Unknown"));

    static final List<Choice> DEFAULT_IDENTITY_METHODS = List.of(
            plain("Call back to the number on file"),
            plain("Confirmed by the user's manager"),
            plain("In person, with badge or ID"),
            plain("Verified sign-in (the caller signed in to another managed device)"),
            withNotes("Other"));

    public RecoveryChoices {
        reasons = reasons == null || reasons.isEmpty() ? DEFAULT_REASONS : List.copyOf(reasons);
        identityMethods = identityMethods == null || identityMethods.isEmpty() ? DEFAULT_IDENTITY_METHODS
                : List.copyOf(identityMethods);
    }

    public static RecoveryChoices defaults() {
        return new RecoveryChoices(null, null);
    }
}
