package com.lockkeeper.dashboard;

import com.lockkeeper.audit.AuditAction;
import com.lockkeeper.audit.AuditEntry;
import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.users.SignedInUser;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The fleet dashboard for auditors and admins: the page (numbers as text, charts drawn by
 * /js/dashboard.js from /dashboard.json) and its data. A view of the page is audited like a report's.
 */
@Controller
class DashboardController {

    private final Dashboard dashboard;
    private final AuditLog audit;

    DashboardController(Dashboard dashboard, AuditLog audit) {
        this.dashboard = dashboard;
        this.audit = audit;
    }

    @GetMapping("/dashboard")
    String page(@AuthenticationPrincipal SignedInUser me, Model model) {
        FleetStatus status = dashboard.status();
        audit.record(AuditEntry.success(me.actor(), AuditAction.REPORT_VIEW, "dashboard",
                "coverage: " + status.coverage().percent() + "%; disclosed not rotated: " + status.disclosed().size()
                        + "; not checked in: " + status.notCheckedIn()));
        model.addAttribute("status", status);
        return "dashboard/index";
    }

    @GetMapping(path = "/dashboard.json", produces = "application/json")
    ResponseEntity<FleetStatus> json() {
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(dashboard.status());
    }
}
