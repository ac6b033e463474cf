package com.lockkeeper.signin;

import com.lockkeeper.audit.AuditAction;
import com.lockkeeper.audit.AuditEntry;
import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.users.SignedInUser;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.logout.LogoutHandler;

/** Signing out is recorded next to signing in, so the audit log shows when a session ended on purpose. */
public final class SignOutAudit implements LogoutHandler {

    private final AuditLog audit;

    SignOutAudit(AuditLog audit) {
        this.audit = audit;
    }

    @Override
    public void logout(HttpServletRequest request, HttpServletResponse response, Authentication authentication) {
        if (authentication != null && authentication.getPrincipal() instanceof SignedInUser user) {
            audit.record(AuditEntry.success(user.actor(), AuditAction.SIGN_OUT, "user " + user.username(),
                    "signed out from " + request.getRemoteAddr()));
        }
    }
}
