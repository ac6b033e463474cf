package com.lockkeeper.audit;

import com.lockkeeper.audit.AuditVerification.BrokenLink;
import com.lockkeeper.audit.AuditVerification.Head;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.TreeMap;

/** Walks every lane of the audit log and reports the first record that breaks its chain. */
public final class AuditVerifier {

    private final AuditRepository repository;

    AuditVerifier(AuditRepository repository) {
        this.repository = repository;
    }

    public AuditVerification verify() {
        TreeMap<String, Head> heads = new TreeMap<>();
        long[] count = {0};
        BrokenLink[] broken = {null};
        repository.forEachInChainOrder(record -> {
            count[0]++;
            if (broken[0] != null) {
                return;
            }
            Head previous = heads.get(record.lane());
            long expectedSeq = previous == null ? 1 : previous.seq() + 1;
            byte[] expectedPrev = previous == null ? AuditChain.GENESIS : previous.hash();
            if (record.seq() != expectedSeq) {
                broken[0] = new BrokenLink(record.lane(), expectedSeq, "missing: the lane jumps from record "
                        + (expectedSeq - 1) + " to " + record.seq() + " (records were removed)");
            } else if (!MessageDigest.isEqual(record.prevHash(), expectedPrev)) {
                broken[0] = new BrokenLink(record.lane(), record.seq(),
                        "does not link to the record before it (records were removed or replaced)");
            } else if (!MessageDigest.isEqual(record.hash(), AuditChain.hash(record))) {
                broken[0] = new BrokenLink(record.lane(), record.seq(), "its content does not match its hash (it was altered)");
            }
            heads.put(record.lane(), new Head(record.seq(), record.hash()));
        });
        return new AuditVerification(count[0], heads, Optional.ofNullable(broken[0]));
    }
}
