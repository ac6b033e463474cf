package com.lockkeeper.dashboard;

import java.time.Instant;
import java.util.List;

/**
 * The fleet at a glance, as the dashboard shows it and {@code /dashboard.json} answers it. Its
 * numbers come from the reports themselves (same queries, same definitions), so they match them.
 *
 * @param coverage      escrow coverage, from the enterprise compliance report's total row
 * @param disclosed     keys disclosed and not rotated, from that report, oldest first
 * @param notCheckedIn  computers not checked in for {@code notCheckedInDays}, as that report counts them
 * @param recoveries    recoveries per week by root cause, from that report
 * @param nodes         the server nodes and whether each is sealed
 * @param streaming     the audit stream's sinks (empty: not configured)
 */
public record FleetStatus(Instant at, Coverage coverage, List<DisclosedKey> disclosed, int notCheckedInDays, long notCheckedIn,
        long neverCheckedIn, Recoveries recoveries, List<Node> nodes, List<Sink> streaming) {

    /** Encrypted volumes, those with an escrowed active key, those whose key the device verified recently. */
    public record Coverage(long encryptedVolumes, long withEscrowedKey, long verified, long percent, String verifiedWithin) {
    }

    public record DisclosedKey(String computer, String passwordId, Long ageDays) {
    }

    /** Weeks (oldest first) and, per root cause, the recoveries of each week. */
    public record Recoveries(List<String> weeks, List<Series> byRootCause) {
    }

    public record Series(String rootCause, List<Long> counts) {
    }

    public record Node(String name, String state, Instant lastSeen, String version) {

        public boolean sealed() {
            return "sealed".equals(state);
        }
    }

    /** A sink's lag: records waiting, for how long (seconds, null when none waits), its last error. */
    public record Sink(String name, String target, long waiting, Long oldestWaitingSeconds, Instant lastDelivery, String lastError) {
    }
}
