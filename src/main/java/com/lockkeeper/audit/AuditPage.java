package com.lockkeeper.audit;

import java.util.List;

/** One page of audit records, newest first, and whether older ones follow. */
public record AuditPage(List<AuditRecord> records, int page, int size, boolean hasNext) {
}
