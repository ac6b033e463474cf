package com.lockkeeper.lifecycle;

import java.time.Instant;

/**
 * An admin's rotation request and how far the devices have got: {@code pending} actions wait
 * for their device's confirmation, {@code done} ones were confirmed; {@code alreadyPending}
 * keys had a rotation pending before the request (say, after a reveal) and are not counted twice.
 */
public record RotationProgress(long id, String scope, String target, String reason, Instant requestedAt, String requestedBy,
        int keysRequested, int alreadyPending, long pending, long done, long cancelled) {

    public boolean complete() {
        return pending == 0;
    }
}
