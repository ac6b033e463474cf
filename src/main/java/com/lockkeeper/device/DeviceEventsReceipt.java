package com.lockkeeper.device;

/**
 * The answer to a report of events: how many came, how many were new, how many the server had
 * already, and how many it does not read and left out (an unknown event ID, a value it cannot parse,
 * or all of a pending device's).
 */
record DeviceEventsReceipt(int received, int stored, int duplicates, int ignored) {
}
