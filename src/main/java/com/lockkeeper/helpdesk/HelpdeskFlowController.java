package com.lockkeeper.helpdesk;

import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.RecoveryPassword;
import com.lockkeeper.computers.ComputerSummary;
import com.lockkeeper.computers.KeySummary;
import com.lockkeeper.keys.NodeSealedException;
import com.lockkeeper.recovery.Approval;
import com.lockkeeper.recovery.ApprovalRequiredException;
import com.lockkeeper.recovery.Approvals;
import com.lockkeeper.recovery.Caller;
import com.lockkeeper.recovery.HelpdeskRecovery;
import com.lockkeeper.recovery.HelpdeskRequest;
import com.lockkeeper.recovery.KeyNotFoundException;
import com.lockkeeper.recovery.Reason;
import com.lockkeeper.recovery.RecoveryRefusedException;
import com.lockkeeper.recovery.SearchResult;
import com.lockkeeper.users.Role;
import com.lockkeeper.users.SignedInUser;
import com.lockkeeper.http.InvalidRequestException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DataAccessException;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The five-step helpdesk flow, one form per step: 1 Computer, 2 Identity, 3 Key, 4 Reason,
 * 5 Reveal. What each step decided is kept in the session ({@link HelpdeskFlow}); the reveal
 * re-checks everything in the service. The password is only ever in the body of the answer to
 * the reveal POST, never in a URL or a redirect, and that page is not stored by the browser.
 */
@Controller
class HelpdeskFlowController {

    /** What a person sees when the reveal could not be audited: nothing was shown and nothing changed. */
    static final String UNRECORDED = "The reveal could not be recorded in the audit log, so the password is not shown and the"
            + " key is unchanged. Try again in a minute; if it keeps failing, ask an administrator to check the database.";

    private final HelpdeskRecovery helpdesk;
    private final Approvals approvals;

    HelpdeskFlowController(HelpdeskRecovery helpdesk, Approvals approvals) {
        this.helpdesk = helpdesk;
        this.approvals = approvals;
    }

    // 1 Computer -----------------------------------------------------------------------------

    @GetMapping("/helpdesk")
    String computerStep(HttpSession session, Model model) {
        model.addAttribute("flow", HelpdeskFlow.of(session).summary());
        FormErrors.empty(model);
        return "helpdesk/computer";
    }

    @PostMapping("/helpdesk/computer")
    String findComputer(@RequestParam(defaultValue = "") String name, HttpSession session, Model model) {
        HelpdeskFlow flow = HelpdeskFlow.of(session);
        model.addAttribute("flow", flow.summary());
        model.addAttribute("name", name);
        try {
            SearchResult result = helpdesk.findComputer(name);
            if (result.found()) {
                ComputerSummary computer = result.computer().orElseThrow();
                flow.computer(computer.id(), computer.name(), null);
                return "redirect:/helpdesk/identity";
            }
            if (result.candidates().isEmpty()) {
                FormErrors.add(model, "name", "No computer is named \"" + name.strip() + "\" or has it in its name. Check the"
                        + " spelling with the caller, ask them to read the first word of the drive label on the recovery screen,"
                        + " or search by the password ID below.");
            } else {
                model.addAttribute("candidates", result.candidates());
            }
        } catch (InvalidRequestException e) {
            FormErrors.add(model, e);
        }
        FormErrors.empty(model);
        return "helpdesk/computer";
    }

    @PostMapping("/helpdesk/computer/pick")
    String pickComputer(@RequestParam long computerId, @RequestParam(required = false) String typedId, HttpSession session) {
        Optional<ComputerSummary> computer = helpdesk.computer(computerId);
        if (computer.isEmpty()) {
            return "redirect:/helpdesk";
        }
        HelpdeskFlow.of(session).computer(computer.get().id(), computer.get().name(), typedId);
        return "redirect:/helpdesk/identity";
    }

    @PostMapping("/helpdesk/search-id")
    String searchById(@RequestParam(defaultValue = "") String id, HttpSession session, Model model) {
        model.addAttribute("flow", HelpdeskFlow.of(session).summary());
        model.addAttribute("id", id);
        try {
            List<KeySummary> matches = helpdesk.keysById(id, "id");
            if (matches.isEmpty()) {
                FormErrors.add(model, "id", "No recovery key has a password ID starting with these characters. Ask the caller to"
                        + " read the ID on the recovery screen again (8 characters, 0-9 and A-F), or search by computer name.");
            } else {
                model.addAttribute("matches", matches);
            }
        } catch (InvalidRequestException e) {
            FormErrors.add(model, e);
        }
        FormErrors.empty(model);
        return "helpdesk/computer";
    }

    @PostMapping("/helpdesk/start-over")
    String startOver(HttpSession session) {
        HelpdeskFlow.clear(session);
        return "redirect:/helpdesk";
    }

    // 2 Identity -----------------------------------------------------------------------------

    @GetMapping("/helpdesk/identity")
    String identityStep(HttpSession session, Model model) {
        HelpdeskFlow flow = HelpdeskFlow.of(session);
        if (flow.computerId == null) {
            return "redirect:/helpdesk";
        }
        return identityPage(flow, model);
    }

    @PostMapping("/helpdesk/identity")
    String checkIdentity(@RequestParam(defaultValue = "") String requester,
            @RequestParam(defaultValue = "") String identityVerification, @RequestParam(defaultValue = "") String identityText,
            @RequestParam(defaultValue = "") String justification, @AuthenticationPrincipal SignedInUser me, HttpSession session,
            Model model) {
        HelpdeskFlow flow = HelpdeskFlow.of(session);
        Optional<ComputerSummary> computer = flow.computerId == null ? Optional.empty() : helpdesk.computer(flow.computerId);
        if (computer.isEmpty()) {
            return "redirect:/helpdesk";
        }
        HelpdeskRequest entered = new HelpdeskRequest(requester, identityVerification, identityText, justification, null, null);
        model.addAttribute("entered", entered);
        try {
            Caller caller = helpdesk.checkCaller(me, computer.get(), entered);
            flow.caller(requester, identityVerification, identityText, caller.justification(), caller.associated());
            return "redirect:/helpdesk/key";
        } catch (InvalidRequestException e) {
            FormErrors.add(model, e);
        } catch (RecoveryRefusedException e) {
            FormErrors.add(model, e.field(), e.getMessage());
            model.addAttribute("refused", true);
        }
        return identityPage(flow, model);
    }

    private String identityPage(HelpdeskFlow flow, Model model) {
        model.addAttribute("flow", flow.summary());
        model.addAttribute("methods", helpdesk.choices().identityMethods());
        if (!model.containsAttribute("entered")) {
            model.addAttribute("entered", new HelpdeskRequest(flow.requester, flow.identityVerification, flow.identityText,
                    flow.justification, null, null));
        }
        FormErrors.empty(model);
        return "helpdesk/identity";
    }

    // 3 Key ----------------------------------------------------------------------------------

    @GetMapping("/helpdesk/key")
    String keyStep(HttpSession session, Model model) {
        HelpdeskFlow flow = HelpdeskFlow.of(session);
        if (!flow.callerChecked) {
            return "redirect:" + flow.nextStep();
        }
        model.addAttribute("typedId", flow.typedId == null ? "" : flow.typedId);
        return keyPage(flow, model);
    }

    @PostMapping("/helpdesk/key")
    String chooseKey(@RequestParam(defaultValue = "") String recoveryPasswordId, HttpSession session, Model model) {
        HelpdeskFlow flow = HelpdeskFlow.of(session);
        if (!flow.callerChecked) {
            return "redirect:" + flow.nextStep();
        }
        Optional<ComputerSummary> computer = helpdesk.computer(flow.computerId);
        if (computer.isEmpty()) {
            return "redirect:/helpdesk";
        }
        model.addAttribute("typedId", recoveryPasswordId);
        try {
            KeySummary key = helpdesk.chooseKey(computer.get(), recoveryPasswordId);
            flow.key(key.protectorId().hex());
            return "redirect:/helpdesk/reason";
        } catch (InvalidRequestException e) {
            FormErrors.add(model, e);
        }
        return keyPage(flow, model);
    }

    private String keyPage(HelpdeskFlow flow, Model model) {
        ComputerSummary computer = helpdesk.computer(flow.computerId).orElseThrow();
        model.addAttribute("flow", flow.summary());
        model.addAttribute("keys", helpdesk.keysOf(computer));
        FormErrors.empty(model);
        return "helpdesk/key";
    }

    // 4 Reason -------------------------------------------------------------------------------

    @GetMapping("/helpdesk/reason")
    String reasonStep(HttpSession session, Model model) {
        HelpdeskFlow flow = HelpdeskFlow.of(session);
        if (flow.protectorIdHex == null) {
            return "redirect:" + flow.nextStep();
        }
        model.addAttribute("reason", flow.reason == null ? "" : flow.reason);
        model.addAttribute("notes", flow.notes == null ? "" : flow.notes);
        return reasonPage(flow, model);
    }

    @PostMapping("/helpdesk/reason")
    String recordReason(@RequestParam(defaultValue = "") String reason, @RequestParam(defaultValue = "") String notes,
            HttpSession session, Model model) {
        HelpdeskFlow flow = HelpdeskFlow.of(session);
        if (flow.protectorIdHex == null) {
            return "redirect:" + flow.nextStep();
        }
        model.addAttribute("reason", reason);
        model.addAttribute("notes", notes);
        try {
            Reason checked = helpdesk.checkReason(new HelpdeskRequest(null, null, null, null, reason, notes));
            flow.reason(checked.label(), checked.notes());
            return "redirect:/helpdesk/reveal";
        } catch (InvalidRequestException e) {
            FormErrors.add(model, e);
        }
        return reasonPage(flow, model);
    }

    private String reasonPage(HelpdeskFlow flow, Model model) {
        model.addAttribute("flow", flow.summary());
        model.addAttribute("reasons", helpdesk.choices().reasons());
        FormErrors.empty(model);
        return "helpdesk/reason";
    }

    // 5 Reveal -------------------------------------------------------------------------------

    @GetMapping("/helpdesk/reveal")
    String confirmStep(@AuthenticationPrincipal SignedInUser me, HttpSession session, Model model) {
        HelpdeskFlow flow = HelpdeskFlow.of(session);
        if (flow.revealed) {
            return alreadyShown(session, model);
        }
        if (flow.reason == null) {
            return "redirect:" + flow.nextStep();
        }
        return confirmPage(me, flow, model);
    }

    @PostMapping("/helpdesk/reveal")
    String reveal(@RequestParam(required = false) String breakGlass, @AuthenticationPrincipal SignedInUser me, HttpSession session,
            HttpServletRequest request, HttpServletResponse response, Model model) {
        HelpdeskFlow flow = HelpdeskFlow.of(session);
        if (flow.revealed) {
            return alreadyShown(session, model);
        }
        if (flow.reason == null) {
            return "redirect:" + flow.nextStep();
        }
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        try {
            RecoveryPassword password = helpdesk.reveal(me, ProtectorId.fromHex(flow.protectorIdHex), flow.request(),
                    "helpdesk-web", request.getRemoteAddr(), flow.approvalId, breakGlass);
            flow.revealed();
            model.addAttribute("flow", flow.summary());
            model.addAttribute("key", keyOf(flow));
            model.addAttribute("blocks", PasswordBlock.of(password));
            model.addAttribute("keyPackageAllowed", me.has(Role.ADVANCED_HELPDESK) && flow.approvalId == null && breakGlass == null
                    && helpdesk.approvalRequired(me, ProtectorId.fromHex(flow.protectorIdHex), flow.request(), true).isEmpty());
            return "helpdesk/reveal";
        } catch (InvalidRequestException e) {
            FormErrors.add(model, e);
            model.addAttribute("breakGlass", breakGlass);
        } catch (ApprovalRequiredException | RecoveryRefusedException | KeyNotFoundException | NodeSealedException e) {
            FormErrors.add(model, "form", e.getMessage());
        } catch (DataAccessException e) {
            FormErrors.add(model, "form", UNRECORDED);
        }
        return confirmPage(me, flow, model);
    }

    /** The last step when the policy wants an approval: the call as recorded waits for an approver. */
    @PostMapping("/helpdesk/request")
    String requestApproval(@AuthenticationPrincipal SignedInUser me, HttpSession session, HttpServletRequest request, Model model) {
        HelpdeskFlow flow = HelpdeskFlow.of(session);
        if (flow.reason == null || flow.revealed) {
            return "redirect:" + flow.nextStep();
        }
        try {
            Approval approval = helpdesk.requestApproval(me, ProtectorId.fromHex(flow.protectorIdHex), flow.request(), false,
                    "helpdesk-web", request.getRemoteAddr());
            flow.approval(approval.id());
            return "redirect:/helpdesk/reveal";
        } catch (InvalidRequestException e) {
            FormErrors.add(model, e);
        } catch (RecoveryRefusedException | KeyNotFoundException e) {
            FormErrors.add(model, "form", e.getMessage());
        } catch (DataAccessException e) {
            FormErrors.add(model, "form", "The request could not be recorded. Try again in a minute.");
        }
        return confirmPage(me, flow, model);
    }

    /** Picks up an approved request of one's own (say, from the Approvals page, in a later session) at its last step. */
    @PostMapping("/helpdesk/approved")
    String resume(@RequestParam long approvalId, @AuthenticationPrincipal SignedInUser me, HttpSession session) {
        Approval approval = approvals.find(me, approvalId);
        if (!approval.requestedBy().equalsIgnoreCase(me.username()) || !Approval.PASSWORD.equals(approval.keyType())) {
            return "redirect:/approvals";
        }
        HelpdeskFlow.of(session).resume(approval);
        return "redirect:/helpdesk/reveal";
    }

    @PostMapping("/helpdesk/reveal/key-package")
    void keyPackage(@AuthenticationPrincipal SignedInUser me, HttpSession session, HttpServletRequest request,
            HttpServletResponse response) throws java.io.IOException {
        HelpdeskFlow flow = HelpdeskFlow.of(session);
        if (flow.reason == null) {
            response.sendRedirect(flow.nextStep());
            return;
        }
        byte[] keyPackage = helpdesk.keyPackage(me, ProtectorId.fromHex(flow.protectorIdHex), flow.request(), "helpdesk-web",
                request.getRemoteAddr());
        try {
            SecretResponses.download(response, ContentDisposition.attachment()
                    .filename(flow.computerName + "-" + flow.protectorIdHex.substring(0, 8) + ".kpg").build().toString(), keyPackage);
        } finally {
            java.util.Arrays.fill(keyPackage, (byte) 0);
        }
    }

    /**
     * A reveal is one step of one procedure: a reload or a second submit of the reveal does not
     * show the password again; reading it out again means going through the steps again.
     */
    private String alreadyShown(HttpSession session, Model model) {
        HelpdeskFlow.clear(session);
        model.addAttribute("flow", HelpdeskFlow.of(session).summary());
        model.addAttribute("notice", "That recovery password was already shown, and a reload does not show it again."
                + " To read it out again, go through the steps again: the new reveal is recorded on its own.");
        FormErrors.empty(model);
        return "helpdesk/computer";
    }

    /**
     * The last step: the reveal button, or, when the policy wants an approval, the request and
     * then its state (waiting, approved with the reveal button, denied, expired or used); break
     * glass for the roles that may.
     */
    private String confirmPage(SignedInUser me, HelpdeskFlow flow, Model model) {
        model.addAttribute("flow", flow.summary());
        model.addAttribute("key", keyOf(flow));
        String why = null;
        try {
            why = helpdesk.approvalRequired(me, ProtectorId.fromHex(flow.protectorIdHex), flow.request(), false).orElse(null);
        } catch (InvalidRequestException | RecoveryRefusedException | KeyNotFoundException e) {
            if (!model.containsAttribute("errors")) {
                FormErrors.add(model, "form", e.getMessage());
            }
        }
        Approval approval = flow.approvalId == null ? null : approvals.find(me, flow.approvalId);
        model.addAttribute("approvalRequired", why);
        model.addAttribute("approval", approval);
        model.addAttribute("approvalState", approval == null ? null : approval.state(approvals.now()).name());
        model.addAttribute("mayBreakGlass", why != null && helpdesk.mayBreakGlass(me));
        model.addAttribute("breakGlassMinimum", helpdesk.breakGlassMinimum());
        model.addAttribute("lastStep", why != null && approval == null ? "Request" : "Reveal");
        if (!model.containsAttribute("breakGlass")) {
            model.addAttribute("breakGlass", "");
        }
        FormErrors.empty(model);
        return "helpdesk/confirm";
    }

    private KeySummary keyOf(HelpdeskFlow flow) {
        ProtectorId id = ProtectorId.fromHex(flow.protectorIdHex);
        return helpdesk.keysOf(helpdesk.computer(flow.computerId).orElseThrow()).stream()
                .filter(k -> k.protectorId().equals(id)).findFirst().orElseThrow();
    }
}
