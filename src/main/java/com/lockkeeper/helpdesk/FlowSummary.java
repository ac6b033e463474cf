package com.lockkeeper.helpdesk;

/** What the pages show of the current call: the computer, the caller and the reason recorded so far. */
public record FlowSummary(String computerName, boolean callerChecked, String requester, boolean associated, String reason) {
}
