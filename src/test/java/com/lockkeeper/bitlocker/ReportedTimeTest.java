package com.lockkeeper.bitlocker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lockkeeper.support.InvalidValueException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ReportedTimeTest {

    static final Clock NOW = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void anOffsetTimeIsReadAsItsInstant() {
        assertThat(ReportedTime.parse("2026-11-23T11:15:00+01:00", NOW)).isEqualTo(Instant.parse("2026-11-23T10:15:00Z"));
    }

    @Test
    void aDayOfClockSkewIsAllowedAndNoMore() {
        assertThat(ReportedTime.parse("2026-11-24T10:00:00Z", NOW)).isEqualTo(Instant.parse("2026-11-24T10:00:00Z"));
        assertThatThrownBy(() -> ReportedTime.parse("2026-11-24T10:00:01Z", NOW)).isInstanceOf(InvalidValueException.class)
                .hasMessage("is in the future; check the device's clock");
    }

    @Test
    void aTimeWithoutOffsetOrNotATimeIsRefusedWithoutRepeatingIt() {
        for (String text : new String[] {"2026-11-20T07:55:00", "yesterday"}) {
            assertThatThrownBy(() -> ReportedTime.parse(text, NOW)).isInstanceOf(InvalidValueException.class)
                    .hasMessageNotContaining(text).hasMessageStartingWith("must be an ISO 8601 time with offset");
        }
    }
}
