package com.lockkeeper.analysis;

import java.time.Instant;

/** A post-recovery analysis of one computer: opened when it was flagged, closed with a root cause and a resolution. */
public record Analysis(long id, long computerId, String computerName, Instant openedAt, String openedBecause, String state,
        String rootCause, String resolution, String notes, Instant closedAt, String closedBy) {

    public boolean open() {
        return "open".equals(state);
    }
}
