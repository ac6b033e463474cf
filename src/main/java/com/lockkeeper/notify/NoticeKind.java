package com.lockkeeper.notify;

/** What a notification tells; each has its wording in templates/mail/NAME.txt (first line the subject) and NAME.html. */
public enum NoticeKind {
    /** To a key's associated users: their key was revealed (by whom, when, why). */
    KEY_REVEALED("key-revealed"),
    /** To approvers: a reveal waits for their approval. */
    APPROVAL_REQUESTED("approval-requested"),
    /** To the requester: their request was approved or denied. */
    APPROVAL_DECIDED("approval-decided"),
    /** To security officers: a reveal without approval, with its justification. */
    BREAK_GLASS("break-glass"),
    /** To security officers: a DMK or datakey ceremony. */
    KEY_CEREMONY("key-ceremony"),
    /** To security officers: every key is to be rotated. */
    MASS_ROTATION("mass-rotation"),
    /** To security officers: the sign-in throttle locked a user name or an address. */
    SIGN_IN_LOCKED("signin-locked");

    private final String template;

    NoticeKind(String template) {
        this.template = template;
    }

    public String template() {
        return template;
    }

    static NoticeKind ofTemplate(String template) {
        for (NoticeKind kind : values()) {
            if (kind.template.equals(template)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("no notification kind " + template);
    }
}
