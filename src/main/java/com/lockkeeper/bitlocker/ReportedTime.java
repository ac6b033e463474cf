package com.lockkeeper.bitlocker;

import com.lockkeeper.support.InvalidValueException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** A time a device reports (a key's creation, an event): ISO 8601 with an offset, and not ahead of the server by more than a day. */
public final class ReportedTime {

    static final Duration CLOCK_SKEW = Duration.ofDays(1);

    private ReportedTime() {
    }

    public static Instant parse(String text, Clock clock) {
        Instant instant;
        try {
            instant = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidValueException("must be an ISO 8601 time with offset, like 2026-11-23T10:15:00Z");
        }
        if (instant.isAfter(clock.instant().plus(CLOCK_SKEW))) {
            throw new InvalidValueException("is in the future; check the device's clock");
        }
        return instant;
    }
}
