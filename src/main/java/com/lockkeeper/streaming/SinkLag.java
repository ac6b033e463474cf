package com.lockkeeper.streaming;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How far behind a sink is, as the database says (so the same on every node and in admin commands).
 *
 * @param sink           the sink's name
 * @param target         where it sends (no secret)
 * @param waiting        audit records not yet delivered
 * @param oldestWaiting  how long ago the oldest of them was written; empty when none waits
 * @param lastDelivery   when a batch was last delivered
 * @param lastError      the last failure, if one came after the last delivery
 * @param shippedBy      the node that holds the sink's lease, while its lease lasts
 */
public record SinkLag(String sink, String target, long waiting, Optional<Duration> oldestWaiting, Optional<Instant> lastDelivery,
        Optional<String> lastError, Optional<Instant> lastErrorAt, Optional<String> shippedBy) {
}
