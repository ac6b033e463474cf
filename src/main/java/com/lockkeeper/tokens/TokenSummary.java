package com.lockkeeper.tokens;

import java.time.Instant;

/** A token as listed: never its secret, which is not stored. {@code owner} is the user of a personal token. */
public record TokenSummary(long id, String name, String kind, String owner, String createdBy, Instant createdAt,
        Instant revokedAt) {

    public boolean active() {
        return revokedAt == null;
    }
}
