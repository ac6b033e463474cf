package com.lockkeeper.analysis;

import java.time.Instant;

/** One line of a computer's timeline: a recovery event, a key change, a device action or an analysis. */
public record TimelineEntry(Instant at, String kind, String what, String key, String detail, boolean recovery) {
}
