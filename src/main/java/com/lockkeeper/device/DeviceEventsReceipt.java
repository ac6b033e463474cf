package com.lockkeeper.device;

/** The answer to a report of events: how many came, how many were new, how many the server had already. */
record DeviceEventsReceipt(int received, int stored, int duplicates) {
}
