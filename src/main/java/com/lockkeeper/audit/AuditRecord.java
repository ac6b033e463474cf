package com.lockkeeper.audit;

import java.time.Instant;

/**
 * An audit record as stored, with its place in its lane's hash chain. {@code keyId} names the
 * audit key its hash is keyed with; null for a record hashed with plain SHA-256 (records written
 * before audit keys, and an installation's very first ones).
 */
public record AuditRecord(String lane, long seq, Instant at, String actor, String action, String target,
        String outcome, String detail, byte[] prevHash, byte[] hash, String keyId) {

    public boolean keyed() {
        return keyId != null;
    }
}
