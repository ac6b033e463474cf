package com.lockkeeper.retention;

import java.time.Instant;

/** A computer as the retention sees it: when it last checked in, whether it is retired, stale, on legal hold. */
public record ComputerRetention(long id, String name, Instant createdAt, Instant lastCheckin, Instant retiredAt, String retiredBy,
        String retiredReason, Instant staleSince, Instant holdAt, String holdBy, String holdReason) {

    public boolean retired() {
        return retiredAt != null;
    }

    public boolean onHold() {
        return holdAt != null;
    }

    public boolean stale() {
        return staleSince != null;
    }
}
