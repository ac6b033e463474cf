package com.lockkeeper.retention;

import java.time.Duration;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code lockkeeper.retention.*}: how long the keys of computers that are gone are kept.
 *
 * @param staleAfter  a computer silent this long (no check-in) is flagged stale, like P180D
 * @param autoRetire  whether a stale computer is also retired (off: only an admin retires)
 * @param purgeAfter  the keys of a retired computer are purged this long after its retirement;
 *                    unset: never purged
 * @param interval    time between runs of the retention job on the server
 */
@ConfigurationProperties("lockkeeper.retention")
public record RetentionSettings(
        @DefaultValue("P180D") Duration staleAfter,
        @DefaultValue("false") boolean autoRetire,
        Duration purgeAfter,
        @DefaultValue("PT1H") Duration interval) {

    public RetentionSettings {
        if (staleAfter == null) {
            staleAfter = Duration.ofDays(180);
        }
        if (interval == null) {
            interval = Duration.ofHours(1);
        }
        if (staleAfter.isNegative() || staleAfter.isZero()) {
            throw new IllegalArgumentException("lockkeeper.retention.stale-after must be a positive duration, like P180D");
        }
        if (purgeAfter != null && purgeAfter.isNegative()) {
            throw new IllegalArgumentException("lockkeeper.retention.purge-after must be a duration of zero or more, like P365D,"
                    + " or unset (keys are never purged)");
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("lockkeeper.retention.interval must be a positive duration, like PT1H");
        }
    }

    /** A period as these settings are written: P30D for whole days, PT12H otherwise. */
    public static String shown(Duration period) {
        return period.toHours() % 24 == 0 && period.toHoursPart() == 0 && period.toMinutesPart() == 0 && period.toSecondsPart() == 0
                && period.toNanosPart() == 0 ? "P" + period.toDays() + "D" : period.toString();
    }

    /** The purge period, if keys are ever purged. */
    public Optional<Duration> purge() {
        return Optional.ofNullable(purgeAfter);
    }
}
