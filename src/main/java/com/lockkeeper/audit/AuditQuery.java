package com.lockkeeper.audit;

import java.time.LocalDate;

/**
 * What the auditor asks of the audit log: records whose actor contains {@code actor}, whose
 * action starts with {@code action} (so {@code user.} finds every user change), between two
 * dates (UTC, both included); newest first, {@code size} a page. Nulls mean "any".
 */
public record AuditQuery(String actor, String action, LocalDate from, LocalDate to, int page, int size) {

    public static final int MAX_SIZE = 200;

    public AuditQuery {
        actor = blankToNull(actor);
        action = blankToNull(action);
        page = Math.max(0, page);
        size = Math.min(MAX_SIZE, Math.max(1, size));
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
