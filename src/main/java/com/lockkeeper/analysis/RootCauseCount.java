package com.lockkeeper.analysis;

/** How many recoveries of one period (a week like 2026-W47, or a month like 2026-11) had this root cause. */
public record RootCauseCount(String period, String rootCause, long recoveries) {
}
