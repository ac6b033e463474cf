package com.lockkeeper.audit;

import com.lockkeeper.audit.AuditVerification.BrokenLink;
import com.lockkeeper.audit.AuditVerification.Head;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Walks every lane of the audit log and reports every record that breaks its chain, then compares
 * each lane with the head anchored for it outside the database: a lane that is gone, or ends
 * before its anchored record, lost records from its end.
 */
public final class AuditVerifier {

    private final AuditRepository repository;

    AuditVerifier(AuditRepository repository) {
        this.repository = repository;
    }

    public AuditVerification verify() {
        return verify(Map.of());
    }

    public AuditVerification verify(Map<String, Head> anchors) {
        TreeMap<String, Head> heads = new TreeMap<>();
        List<BrokenLink> broken = new ArrayList<>();
        long[] count = {0};
        repository.forEachInChainOrder(record -> {
            count[0]++;
            Head previous = heads.get(record.lane());
            long expectedSeq = previous == null ? 1 : previous.seq() + 1;
            byte[] expectedPrev = previous == null ? AuditChain.GENESIS : previous.hash();
            if (record.seq() != expectedSeq) {
                broken.add(new BrokenLink(record.lane(), expectedSeq, "missing: the lane jumps from record "
                        + (expectedSeq - 1) + " to " + record.seq() + " (records were removed)"));
            } else if (!MessageDigest.isEqual(record.prevHash(), expectedPrev)) {
                broken.add(new BrokenLink(record.lane(), record.seq(),
                        "does not link to the record before it (records were removed or replaced)"));
            }
            if (!MessageDigest.isEqual(record.hash(), AuditChain.hash(record))) {
                broken.add(new BrokenLink(record.lane(), record.seq(), "its content does not match its hash (it was altered)"));
            }
            Head anchor = anchors.get(record.lane());
            if (anchor != null && anchor.seq() == record.seq() && !MessageDigest.isEqual(anchor.hash(), record.hash())) {
                broken.add(new BrokenLink(record.lane(), record.seq(), "differs from the head anchored for it (the lane was"
                        + " rewritten)"));
            }
            heads.put(record.lane(), new Head(record.seq(), record.hash()));
        });
        anchors.forEach((lane, anchor) -> {
            Head head = heads.get(lane);
            if (head == null) {
                broken.add(new BrokenLink(lane, anchor.seq(), "the lane is gone, though its record " + anchor.seq()
                        + " was anchored (the lane was deleted)"));
            } else if (head.seq() < anchor.seq()) {
                broken.add(new BrokenLink(lane, head.seq() + 1, "missing: the lane ends at record " + head.seq()
                        + " but record " + anchor.seq() + " was anchored (records were cut from its end)"));
            }
        });
        return new AuditVerification(count[0], heads, broken);
    }
}
