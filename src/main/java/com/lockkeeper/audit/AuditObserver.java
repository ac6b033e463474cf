package com.lockkeeper.audit;

import java.time.Instant;

/**
 * Told of each audit record as it is written, inside the transaction that writes it: whatever an
 * observer writes to the database commits or rolls back with the record and its action. An
 * observer must not write to the audit log itself, and must not fail for anything but a database
 * error (which rolls the action back, as a failed audit record does).
 */
public interface AuditObserver {

    void recorded(AuditEntry entry, Instant at);
}
