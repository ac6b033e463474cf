package com.lockkeeper.helpdesk;

import com.lockkeeper.recovery.HelpdeskRequest;
import jakarta.servlet.http.HttpSession;
import java.io.Serializable;

/**
 * Where one helpdesk call stands, kept in the session (never in hidden fields, so a page cannot
 * forge what an earlier step decided). Each step's answer clears the ones after it.
 */
final class HelpdeskFlow implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final String ATTRIBUTE = HelpdeskFlow.class.getName();

    Long computerId;
    String computerName;
    String typedId; // from the search by password ID, offered at the key step
    String requester;
    String identityVerification;
    String identityText;
    String justification;
    boolean associated;
    boolean callerChecked;
    String protectorIdHex;
    String reason;
    String notes;
    /** The password was shown: the procedure is done, and showing it again means going through it again. */
    boolean revealed;
    /** The approval request made at the last step, when the policy wants one. */
    Long approvalId;
    private transient HttpSession session;

    static HelpdeskFlow of(HttpSession session) {
        HelpdeskFlow flow = session.getAttribute(ATTRIBUTE) instanceof HelpdeskFlow existing ? existing : new HelpdeskFlow();
        flow.session = session;
        return flow;
    }

    /**
     * Sessions live in the database (Spring Session JDBC): a change to an attribute's object is
     * kept only when the attribute is set again, so every change ends here.
     */
    private void save() {
        session.setAttribute(ATTRIBUTE, this);
    }

    static void clear(HttpSession session) {
        session.removeAttribute(ATTRIBUTE);
    }

    void computer(long id, String name, String typedId) {
        computerId = id;
        computerName = name;
        this.typedId = typedId;
        requester = null;
        identityVerification = null;
        identityText = null;
        justification = null;
        associated = false;
        callerChecked = false;
        key(null);
        save();
    }

    void caller(String requester, String identityVerification, String identityText, String justification, boolean associated) {
        this.requester = requester;
        this.identityVerification = identityVerification;
        this.identityText = identityText;
        this.justification = justification;
        this.associated = associated;
        this.callerChecked = true;
        key(null);
        save();
    }

    void key(String protectorIdHex) {
        this.protectorIdHex = protectorIdHex;
        reason = null;
        notes = null;
        revealed = false;
        approvalId = null;
        save();
    }

    void reason(String reason, String notes) {
        this.reason = reason;
        this.notes = notes;
        approvalId = null;
        save();
    }

    void approval(long id) {
        approvalId = id;
        save();
    }

    /** Picks up an approved request (made earlier, perhaps in another session) at its last step. */
    void resume(com.lockkeeper.recovery.Approval approval) {
        computer(approval.computerId(), approval.computerName(), null);
        caller(approval.requester(), approval.identityVerification(), approval.identityText(), approval.justification(),
                approval.associated());
        key(approval.protectorIdHex());
        reason(approval.reason(), approval.notes());
        approval(approval.id());
    }

    void revealed() {
        revealed = true;
        save();
    }

    FlowSummary summary() {
        return new FlowSummary(computerName, callerChecked, requester, associated, reason);
    }

    HelpdeskRequest request() {
        return new HelpdeskRequest(requester, identityVerification, identityText, justification, reason, notes);
    }

    /** The first step not done yet, as a path; the reveal step when all are done. */
    String nextStep() {
        if (computerId == null) {
            return "/helpdesk";
        }
        if (!callerChecked) {
            return "/helpdesk/identity";
        }
        if (protectorIdHex == null) {
            return "/helpdesk/key";
        }
        if (reason == null) {
            return "/helpdesk/reason";
        }
        return "/helpdesk/reveal";
    }
}
