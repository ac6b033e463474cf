package com.lockkeeper.analysis;

import com.lockkeeper.recovery.Choice;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code lockkeeper.analysis.*}: when a device is flagged for post-recovery analysis, and the
 * resolutions an analyst picks from.
 *
 * @param repeatedRecoveries this many recoveries within {@code repeatedWindow} flag a device
 * @param sameRecovery events of one computer this close together are one recovery (the helpdesk
 *        reveal and the device's unlock events that followed it)
 * @param bootChangeWindow a recovery this soon after a boot change (events 521/522/523) or a
 *        firmware version change counts as a recovery after a firmware/boot change
 * @param resolutions configured as text like the recovery reasons, read by {@link Choice#of}
 */
@ConfigurationProperties("lockkeeper.analysis")
public record AnalysisSettings(@DefaultValue("3") int repeatedRecoveries, @DefaultValue("30d") Duration repeatedWindow,
        @DefaultValue("15m") Duration sameRecovery, @DefaultValue("7d") Duration bootChangeWindow,
        List<Choice> resolutions) {

    static final List<Choice> DEFAULT_RESOLUTIONS = List.of(
            Choice.plain("PIN reset"),
            Choice.plain("Startup key duplicated"),
            Choice.plain("BitLocker suspended and resumed around a firmware update"),
            Choice.plain("Escalated as possible tampering"),
            Choice.withNotes("Other"));

    public AnalysisSettings {
        if (repeatedRecoveries < 2) {
            throw new IllegalArgumentException("lockkeeper.analysis.repeated-recoveries must be 2 or more");
        }
        resolutions = resolutions == null || resolutions.isEmpty() ? DEFAULT_RESOLUTIONS : List.copyOf(resolutions);
    }

    public static AnalysisSettings defaults() {
        return new AnalysisSettings(3, Duration.ofDays(30), Duration.ofMinutes(15), Duration.ofDays(7), null);
    }
}
