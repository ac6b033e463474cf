package com.lockkeeper.helpdesk;

import com.lockkeeper.http.InvalidRequestException;
import com.lockkeeper.recovery.Approval;
import com.lockkeeper.recovery.ApprovalConflictException;
import com.lockkeeper.recovery.Approvals;
import com.lockkeeper.recovery.KeyNotFoundException;
import com.lockkeeper.recovery.RecoveryRefusedException;
import com.lockkeeper.users.SignedInUser;
import java.util.List;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * `/approvals`: approvers see the requests waiting and approve or deny each with a note (never
 * their own); everyone sees their own requests, and continues an approved one to its reveal.
 */
@Controller
class ApprovalsController {

    private final Approvals approvals;

    ApprovalsController(Approvals approvals) {
        this.approvals = approvals;
    }

    @GetMapping("/approvals")
    String list(@AuthenticationPrincipal SignedInUser me, Model model) {
        boolean approver = approvals.isApprover(me);
        List<Approval> pending = approver ? approvals.pending(me) : List.of();
        model.addAttribute("approver", approver);
        model.addAttribute("pending", pending.stream().map(a -> new Row(a, a.state(approvals.now()).name(), approvals.mayDecide(me, a)))
                .toList());
        model.addAttribute("mine", approvals.requestedBy(me).stream().map(a -> new Row(a, a.state(approvals.now()).name(), false))
                .toList());
        model.addAttribute("helpdesk", me.helpdesk());
        if (!model.containsAttribute("errors")) {
            model.addAttribute("errors", java.util.Map.of());
        }
        return "approvals/list";
    }

    /** A request as the page lists it: with its state now and whether the signed-in user may decide it. */
    record Row(Approval approval, String state, boolean mayDecide) {
    }

    @PostMapping("/approvals/{id}/approve")
    String approve(@PathVariable long id, @RequestParam(defaultValue = "") String note, @AuthenticationPrincipal SignedInUser me,
            RedirectAttributes redirect) {
        return decide(id, true, note, me, redirect);
    }

    @PostMapping("/approvals/{id}/deny")
    String deny(@PathVariable long id, @RequestParam(defaultValue = "") String note, @AuthenticationPrincipal SignedInUser me,
            RedirectAttributes redirect) {
        return decide(id, false, note, me, redirect);
    }

    private String decide(long id, boolean approve, String note, SignedInUser me, RedirectAttributes redirect) {
        try {
            Approval decided = approve ? approvals.approve(me, id, note) : approvals.deny(me, id, note);
            redirect.addFlashAttribute("notice", "Request " + id + " " + (approve ? "approved" : "denied") + "; "
                    + decided.requestedBy() + " is told" + (approve ? ", and may reveal once until "
                    + new DisplayDates().format(decided.expiresAt()) : "") + ".");
        } catch (InvalidRequestException e) {
            redirect.addFlashAttribute("errors", java.util.Map.of("note-" + id, e.errors().get(0).reason()));
        } catch (RecoveryRefusedException | ApprovalConflictException | KeyNotFoundException e) {
            redirect.addFlashAttribute("errors", java.util.Map.of("form", capitalized(e.getMessage()) + "."));
        }
        return "redirect:/approvals";
    }

    private static String capitalized(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
