package com.lockkeeper.analysis;

import java.time.Instant;

/**
 * Why a computer needs a post-recovery analysis: repeated recoveries, or a recovery after a
 * firmware or boot change. {@code recovery} is the recovery that raised the flag.
 */
public record Flag(long computerId, String computerName, Kind kind, Recovery recovery, String description) {

    public enum Kind {
        REPEATED("Repeated recoveries"), AFTER_BOOT_CHANGE("Recovery after a firmware or boot change");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public Instant at() {
        return recovery.at();
    }
}
