package com.lockkeeper.audit;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The committed audit log read lane by lane, for shipping it elsewhere (audit streaming): each
 * lane's head, and its records after a sequence number in chain order. A lane's records commit in
 * sequence order without gaps (a lane is held from a record's insert until its transaction ends),
 * so a reader that remembers the last sequence number it took misses nothing.
 */
public final class AuditFeed {

    private final AuditRepository repository;

    AuditFeed(AuditRepository repository) {
        this.repository = repository;
    }

    /** Every lane and its last committed sequence number. */
    public Map<String, Long> heads() {
        return repository.laneHeads();
    }

    /** Up to {@code limit} records of {@code lane} after {@code afterSeq}, in order. */
    public List<AuditRecord> after(String lane, long afterSeq, int limit) {
        return repository.after(lane, afterSeq, limit);
    }

    /** When the record {@code seq} of {@code lane} was written. */
    public Optional<Instant> at(String lane, long seq) {
        return repository.at(lane, seq);
    }
}
