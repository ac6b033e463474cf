package com.lockkeeper.recovery;

/** Why the recovery was needed: an entry of the configured list, and the helpdesk's notes. */
public record Reason(String label, String notes) {
}
