package com.lockkeeper.audit;

/** Read-only search of the audit log, for auditors. */
public final class AuditSearch {

    private final AuditRepository repository;

    AuditSearch(AuditRepository repository) {
        this.repository = repository;
    }

    public AuditPage search(AuditQuery query) {
        return repository.search(query);
    }
}
