package com.lockkeeper.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which events are one recovery and which recoveries flag a computer, on plain values (the defaults: 3 in 30 days, 15 min, 7 days). */
class FlaggingRulesTest {

    static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");
    static final FlaggingRules RULES = new FlaggingRules(AnalysisSettings.defaults());

    static final class Events {
        private final List<EventRecord> events = new ArrayList<>();
        private final long computerId;

        Events(long computerId) {
            this.computerId = computerId;
        }

        Events device(Duration after, int eventId, String firmware) {
            events.add(new EventRecord(events.size() + 1, computerId, "PC-" + computerId, "C:", null, T0.plus(after), "device",
                    "BitLocker-API", eventId, null, null, null, null, firmware, null, T0.plus(after)));
            return this;
        }

        Events reveal(Duration after, String reason) {
            events.add(new EventRecord(events.size() + 1, computerId, "PC-" + computerId, "C:", null, T0.plus(after), "helpdesk",
                    null, null, null, reason, null, null, null, null, T0.plus(after)));
            return this;
        }

        List<EventRecord> list() {
            return List.copyOf(events);
        }
    }

    static Duration days(long n) {
        return Duration.ofDays(n);
    }

    @Test
    void aRevealAndTheUnlocksEachWithin15MinutesOfThePreviousAreOneRecoveryAndOtherEventsNone() {
        List<EventRecord> events = new Events(1)
                .device(days(0), 522, null)
                .reveal(days(1), "Lost or forgotten PIN")
                .device(days(1).plusMinutes(5), 24652, null)
                .device(days(1).plusMinutes(19), 782, null)
                .device(days(1).plusMinutes(40), 805, null)
                .device(days(2), 530, null)
                .list();

        List<Recovery> recoveries = RULES.recoveries(events);

        assertThat(recoveries).extracting(r -> r.events().stream().map(EventRecord::id).toList())
                .containsExactly(List.of(2L, 3L, 4L), List.of(5L));
        assertThat(recoveries.get(0).recordedReason()).isEqualTo("Lost or forgotten PIN");
        assertThat(recoveries.get(0).sources()).isEqualTo("helpdesk, device");
        assertThat(recoveries.get(0).last()).isEqualTo(T0.plus(days(1).plusMinutes(19)));
    }

    @Test
    void recoveriesOfSeveralComputersAreKeptApartAndOrderedByTime() {
        List<EventRecord> events = new ArrayList<>(new Events(1).device(days(3), 24652, null).list());
        events.addAll(new Events(2).device(days(1), 782, null).device(days(3).plusMinutes(1), 24652, null).list());

        assertThat(RULES.recoveries(events)).extracting(Recovery::computerId).containsExactly(2L, 1L, 2L);
    }

    @Test
    void theThirdRecoveryWithin30DaysIsRepeatedAndSaysSo() {
        List<Flag> flags = RULES.flags(new Events(1)
                .device(days(0), 24652, null)
                .device(days(10), 24652, null)
                .device(days(30), 782, null)
                .device(days(35), 24652, null)
                .device(days(70), 24652, null)
                .list());

        assertThat(flags).extracting(Flag::kind).containsExactly(Flag.Kind.REPEATED, Flag.Kind.REPEATED);
        assertThat(flags.get(0).at()).isEqualTo(T0.plus(days(30)));
        assertThat(flags.get(0).description())
                .isEqualTo("3 recoveries within 30 days, 2026-03-01 08:00 UTC to 2026-03-31 08:00 UTC");
        assertThat(flags.get(1).description())
                .isEqualTo("3 recoveries within 30 days, 2026-03-11 08:00 UTC to 2026-04-05 08:00 UTC");
    }

    @Test
    void recoveriesFurtherApartThanTheWindowAreNotRepeated() {
        assertThat(RULES.flags(new Events(1)
                .device(days(0), 24652, null)
                .device(days(31), 24652, null)
                .device(days(62), 24652, null)
                .list())).isEmpty();
    }

    @Test
    void aBootChangeWithinSevenDaysBeforeARecoveryFlagsItButNotOneBeforeThePreviousRecovery() {
        List<Flag> flags = RULES.flags(new Events(1)
                .device(days(0), 523, null)
                .device(days(2), 24652, null)
                .device(days(4), 24652, null)
                .device(days(32), 522, null)
                .device(days(40), 24652, null)
                .list());

        assertThat(flags).singleElement().satisfies(flag -> {
            assertThat(flag.kind()).isEqualTo(Flag.Kind.AFTER_BOOT_CHANGE);
            assertThat(flag.at()).isEqualTo(T0.plus(days(2)));
            assertThat(flag.description()).isEqualTo("Boot configuration data (BCD) changed (523) at 2026-03-01 08:00 UTC");
        });
    }

    @Test
    void aFirmwareVersionOtherThanTheOneLastSeenFlagsTheRecoveryAndTheSameVersionDoesNot() {
        List<Flag> flags = RULES.flags(new Events(1)
                .device(days(0), 782, "1.0.3")
                .device(days(40), 24652, "1.2.0")
                .device(days(80), 24652, "1.2.0")
                .list());

        assertThat(flags).singleElement().satisfies(flag -> {
            assertThat(flag.kind()).isEqualTo(Flag.Kind.AFTER_BOOT_CHANGE);
            assertThat(flag.at()).isEqualTo(T0.plus(days(40)));
            assertThat(flag.description()).isEqualTo("Firmware changed from 1.0.3 to 1.2.0 (last seen 2026-03-01 08:00 UTC)");
        });
    }

    @Test
    void aRecoveryCanBeBothRepeatedAndAfterABootChange() {
        List<Flag> flags = RULES.flags(new Events(1)
                .device(days(0), 24652, null)
                .device(days(5), 24652, null)
                .device(days(9), 521, null)
                .device(days(10), 24652, null)
                .list());

        assertThat(flags).extracting(Flag::kind).containsExactly(Flag.Kind.REPEATED, Flag.Kind.AFTER_BOOT_CHANGE);
        assertThat(flags).extracting(Flag::recovery).containsOnly(flags.get(0).recovery());
    }

    @Test
    void eventsThatMatterReachBackTheRepeatedWindowAndTheBootChangeWindow() {
        assertThat(RULES.reachBefore(T0)).isEqualTo(T0.minus(days(37)));
    }
}
