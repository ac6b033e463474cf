package com.lockkeeper.audit;

import com.lockkeeper.audit.AuditKeys.Lookup;
import com.lockkeeper.audit.AuditVerification.BrokenLink;
import com.lockkeeper.audit.AuditVerification.Head;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Walks every lane of the audit log and reports every record that breaks its chain: a gap, a
 * broken link, content that does not match its hash (keyed hashes checked with their node's
 * audit key), an unkeyed record where its node keys them. Then it compares each lane with the
 * head anchored for it outside the database: a lane that is gone, or ends before its anchored
 * record, lost records from its end.
 */
public final class AuditVerifier {

    private final AuditRepository repository;
    private final AuditKeys keys;

    AuditVerifier(AuditRepository repository, AuditKeys keys) {
        this.repository = repository;
        this.keys = keys;
    }

    public AuditVerification verify() {
        return verify(Map.of());
    }

    public AuditVerification verify(Map<String, Head> anchors) {
        Walk walk = new Walk(anchors);
        repository.forEachInChainOrder(walk::check);
        anchors.forEach((lane, anchor) -> {
            Head head = walk.heads.get(lane);
            if (head == null) {
                walk.broken.add(new BrokenLink(lane, anchor.seq(), "the lane is gone, though its record " + anchor.seq()
                        + " was anchored (the lane was deleted)"));
            } else if (head.seq() < anchor.seq()) {
                walk.broken.add(new BrokenLink(lane, head.seq() + 1, "missing: the lane ends at record " + head.seq()
                        + " but record " + anchor.seq() + " was anchored (records were cut from its end)"));
            }
        });
        return new AuditVerification(walk.count, walk.heads, walk.broken, walk.unchecked, walk.uncheckedBecause);
    }

    /** One pass over the log, lane by lane in chain order. */
    private final class Walk {
        final Map<String, Head> anchors;
        final TreeMap<String, Head> heads = new TreeMap<>();
        final List<BrokenLink> broken = new ArrayList<>();
        final Set<String> keyedLanes = new HashSet<>();
        final Map<String, Lookup> lookups = new HashMap<>();
        final Map<String, Optional<Instant>> keyedSince = new HashMap<>();
        long count;
        long unchecked;
        String uncheckedBecause;

        Walk(Map<String, Head> anchors) {
            this.anchors = anchors;
        }

        void check(AuditRecord record) {
            count++;
            Head previous = heads.get(record.lane());
            long expectedSeq = previous == null ? 1 : previous.seq() + 1;
            byte[] expectedPrev = previous == null ? AuditChain.GENESIS : previous.hash();
            if (record.seq() != expectedSeq) {
                broken(record, expectedSeq, "missing: the lane jumps from record " + (expectedSeq - 1) + " to " + record.seq()
                        + " (records were removed)");
            } else if (!MessageDigest.isEqual(record.prevHash(), expectedPrev)) {
                broken(record, record.seq(), "does not link to the record before it (records were removed or replaced)");
            }
            if (record.keyed()) {
                checkKeyed(record);
            } else {
                checkUnkeyed(record);
            }
            Head anchor = anchors.get(record.lane());
            if (anchor != null && anchor.seq() == record.seq() && !MessageDigest.isEqual(anchor.hash(), record.hash())) {
                broken(record, record.seq(), "differs from the head anchored for it (the lane was rewritten)");
            }
            heads.put(record.lane(), new Head(record.seq(), record.hash()));
        }

        private void checkKeyed(AuditRecord record) {
            keyedLanes.add(record.lane());
            Lookup lookup = lookups.computeIfAbsent(record.keyId(), keys::lookup);
            if (lookup instanceof Lookup.Found found) {
                if (!AuditChain.keyedMatches(found.signer(), record)) {
                    broken(record, record.seq(), "its content does not match its keyed hash (it was altered)");
                }
            } else if (lookup instanceof Lookup.Unknown) {
                broken(record, record.seq(), "it is keyed with audit key " + record.keyId() + ", which is not in the database"
                        + " (the key was removed, or the record made up)");
            } else if (lookup instanceof Lookup.Unopenable unopenable) {
                unchecked++;
                uncheckedBecause = unopenable.why();
            }
        }

        private void checkUnkeyed(AuditRecord record) {
            if (!MessageDigest.isEqual(record.hash(), AuditChain.hash(record))) {
                broken(record, record.seq(), "its content does not match its hash (it was altered)");
            }
            if (keyedLanes.contains(record.lane())) {
                broken(record, record.seq(), "an unkeyed record after keyed ones: the lane was rewritten without its key");
                return;
            }
            String node = nodeOf(record.lane());
            Optional<Instant> since = keyedSince.computeIfAbsent(node, keys::keyedSince);
            if (since.isPresent() && !record.at().isBefore(since.get())) {
                broken(record, record.seq(), "unkeyed, though node " + node + " keys its records since " + since.get()
                        + ": the record was rewritten without its key");
            }
        }

        private void broken(AuditRecord record, long seq, String problem) {
            broken.add(new BrokenLink(record.lane(), seq, problem));
        }
    }

    /** Lanes are named {@code <node>/<process>[/<n>]}. */
    static String nodeOf(String lane) {
        int slash = lane.indexOf('/');
        return slash < 0 ? lane : lane.substring(0, slash);
    }
}
