package com.lockkeeper.helpdesk;

import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.computers.KeySummary;
import com.lockkeeper.http.FieldError;
import com.lockkeeper.http.InvalidRequestException;
import com.lockkeeper.http.JsonBodies;
import com.lockkeeper.http.Problems;
import com.lockkeeper.http.RequestBodies;
import com.lockkeeper.recovery.Approval;
import com.lockkeeper.recovery.ApprovalConflictException;
import com.lockkeeper.recovery.Approvals;
import com.lockkeeper.recovery.HelpdeskRecovery;
import com.lockkeeper.recovery.KeyNotFoundException;
import com.lockkeeper.recovery.RecoveryRefusedException;
import com.lockkeeper.users.SignedInUser;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Approval requests as JSON (api.md, approvals): request, list, approve or deny with a note. */
@RestController
class ApprovalsApiController {

    private final Approvals approvals;
    private final HelpdeskRecovery helpdesk;

    ApprovalsApiController(Approvals approvals, HelpdeskRecovery helpdesk) {
        this.approvals = approvals;
        this.helpdesk = helpdesk;
    }

    /** The requests waiting for a decision (approvers), or with {@code mine=true} the caller's own requests. */
    @GetMapping("/api/v1/approvals")
    Map<String, Object> list(@RequestParam(defaultValue = "false") boolean mine, @AuthenticationPrincipal SignedInUser me) {
        List<Approval> found = mine ? approvals.requestedBy(me) : approvals.pending(me);
        return Map.of("approvals", found.stream().map(a -> json(a, me)).toList());
    }

    @GetMapping("/api/v1/approvals/{id}")
    Map<String, Object> one(@PathVariable long id, @AuthenticationPrincipal SignedInUser me) {
        return json(approvals.find(me, id), me);
    }

    @PostMapping("/api/v1/approvals")
    ResponseEntity<Map<String, Object>> request(HttpServletRequest request, @AuthenticationPrincipal SignedInUser me)
            throws IOException {
        ApprovalBody body = JsonBodies.read(RequestBodies.read(request, RevealBody.MAX_BODY_BYTES), ApprovalBody.class).valid();
        if (body.keyType() != null && !body.keyPackage() && !"recovery-password".equals(body.keyType())) {
            throw new InvalidRequestException(FieldError.of("keyType", "one of recovery-password (the default) or key-package"));
        }
        KeySummary key = helpdesk.keyById(body.recoveryPasswordId(), "recoveryPasswordId");
        Approval approval = helpdesk.requestApproval(me, key.protectorId(), body.request(), body.keyPackage(),
                HelpdeskApiController.CHANNEL, request.getRemoteAddr());
        return ResponseEntity.created(URI.create("/api/v1/approvals/" + approval.id())).body(json(approval, me));
    }

    @PostMapping("/api/v1/approvals/{id}/approve")
    Map<String, Object> approve(@PathVariable long id, HttpServletRequest request, @AuthenticationPrincipal SignedInUser me)
            throws IOException {
        return json(approvals.approve(me, id, note(request)), me);
    }

    @PostMapping("/api/v1/approvals/{id}/deny")
    Map<String, Object> deny(@PathVariable long id, HttpServletRequest request, @AuthenticationPrincipal SignedInUser me)
            throws IOException {
        return json(approvals.deny(me, id, note(request)), me);
    }

    private static String note(HttpServletRequest request) throws IOException {
        return JsonBodies.read(RequestBodies.read(request, DecisionBody.MAX_BODY_BYTES), DecisionBody.class).valid().note();
    }

    private Map<String, Object> json(Approval a, SignedInUser me) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", a.id());
        json.put("state", a.state(approvals.now()).name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        json.put("requestedBy", a.requestedBy());
        json.put("computer", a.computerName());
        json.put("recoveryPasswordId", ProtectorId.fromHex(a.protectorIdHex()).toString());
        json.put("shortId", a.shortId());
        json.put("keyType", Approval.KEY_PACKAGE.equals(a.keyType()) ? "key-package" : "recovery-password");
        json.put("requester", a.requester());
        json.put("associated", a.associated());
        json.put("identityVerification", a.identityVerification());
        json.put("justification", a.justification());
        json.put("reason", a.reason());
        json.put("notes", a.notes());
        json.put("whyRequired", a.whyRequired());
        json.put("requestedAt", String.valueOf(a.requestedAt()));
        json.put("expiresAt", String.valueOf(a.expiresAt()));
        json.put("decidedBy", a.decidedBy());
        json.put("decidedAt", a.decidedAt() == null ? null : a.decidedAt().toString());
        json.put("decisionNote", a.decisionNote());
        json.put("mayDecide", approvals.mayDecide(me, a) && a.state(approvals.now()) == Approval.State.PENDING);
        return json;
    }

    @ExceptionHandler(KeyNotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(KeyNotFoundException e) {
        return Problems.response(Problems.problem(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage()));
    }

    @ExceptionHandler(ApprovalConflictException.class)
    ResponseEntity<ProblemDetail> conflict(ApprovalConflictException e) {
        return Problems.response(Problems.problem(HttpStatus.CONFLICT, "approval-state", "The request cannot be decided",
                e.getMessage()));
    }

    @ExceptionHandler(RecoveryRefusedException.class)
    ResponseEntity<ProblemDetail> refused(RecoveryRefusedException e) {
        ProblemDetail problem = Problems.problem(HttpStatus.FORBIDDEN, "approval-refused", "Refused", e.getMessage());
        if (e.field() != null) {
            problem.setProperty("errors", List.of(FieldError.of(e.field(), e.getMessage())));
        }
        return Problems.response(problem);
    }
}
