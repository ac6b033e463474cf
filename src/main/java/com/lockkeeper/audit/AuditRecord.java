package com.lockkeeper.audit;

import java.time.Instant;

/** An audit record as stored, with its place in its lane's hash chain. */
public record AuditRecord(String lane, long seq, Instant at, String actor, String action, String target,
        String outcome, String detail, byte[] prevHash, byte[] hash) {
}
