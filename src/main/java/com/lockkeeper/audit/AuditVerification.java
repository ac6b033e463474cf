package com.lockkeeper.audit;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The result of walking every lane's hash chain, and of comparing each lane with its anchored head. */
public record AuditVerification(long records, Map<String, Head> heads, List<BrokenLink> brokenLinks, long unchecked,
        String uncheckedBecause) {

    public AuditVerification {
        heads = Map.copyOf(heads);
        brokenLinks = List.copyOf(brokenLinks);
    }

    /** The last record of a lane: anchored outside the database, it detects a later truncation of the log. */
    public record Head(long seq, byte[] hash) {

        public String hashHex() {
            return HexFormat.of().formatHex(hash);
        }
    }

    /** Where a chain breaks and why. */
    public record BrokenLink(String lane, long seq, String problem) {

        @Override
        public String toString() {
            return "lane " + lane + ", record " + seq + ": " + problem;
        }
    }

    public Optional<BrokenLink> firstBrokenLink() {
        return brokenLinks.stream().findFirst();
    }

    /** No broken link among the records that could be checked. */
    public boolean intact() {
        return brokenLinks.isEmpty();
    }

    /** Intact, and every keyed record was checked (on a sealed node, other nodes' keys cannot be opened). */
    public boolean complete() {
        return intact() && unchecked == 0;
    }
}
