package com.lockkeeper.cluster;

import java.time.Instant;

/** A server node as it last reported itself. */
public record NodeInfo(String name, String version, Instant startedAt, Instant lastSeen, String state) {
}
