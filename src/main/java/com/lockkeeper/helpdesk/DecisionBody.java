package com.lockkeeper.helpdesk;

/** The JSON body of an approval's approve or deny: the note for the requester and the audit log. */
record DecisionBody(String note) {

    static final int MAX_BODY_BYTES = 4 * 1024;
}
