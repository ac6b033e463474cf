package com.lockkeeper.audit;

import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/** The result of walking every lane's hash chain. */
public record AuditVerification(long records, Map<String, Head> heads, Optional<BrokenLink> firstBrokenLink) {

    /** The last record of a lane: note these down to detect a later truncation of the log. */
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

    public boolean intact() {
        return firstBrokenLink.isEmpty();
    }
}
