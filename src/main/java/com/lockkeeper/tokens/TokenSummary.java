package com.lockkeeper.tokens;

import java.time.Instant;

/** A token as listed: never its secret, which is not stored. */
public record TokenSummary(long id, String name, String kind, String createdBy, Instant createdAt, Instant revokedAt) {

    public boolean active() {
        return revokedAt == null;
    }
}
