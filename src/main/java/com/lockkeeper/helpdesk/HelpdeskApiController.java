package com.lockkeeper.helpdesk;

import com.lockkeeper.bitlocker.RecoveryPassword;
import com.lockkeeper.computers.ComputerSummary;
import com.lockkeeper.computers.KeySummary;
import com.lockkeeper.recovery.AmbiguousIdException;
import com.lockkeeper.recovery.ApprovalRequiredException;
import com.lockkeeper.recovery.HelpdeskRecovery;
import com.lockkeeper.recovery.HelpdeskRequest;
import com.lockkeeper.recovery.KeyNotFoundException;
import com.lockkeeper.recovery.RecoveryRefusedException;
import com.lockkeeper.recovery.SearchResult;
import com.lockkeeper.users.SignedInUser;
import com.lockkeeper.http.FieldError;
import com.lockkeeper.http.JsonBodies;
import com.lockkeeper.http.Problems;
import com.lockkeeper.http.RequestBodies;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
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

/** The helpdesk procedure as JSON for scripts and integrations (api.md, helpdesk section). */
@RestController
class HelpdeskApiController {

    static final String CHANNEL = "helpdesk-api";

    private final HelpdeskRecovery helpdesk;

    HelpdeskApiController(HelpdeskRecovery helpdesk) {
        this.helpdesk = helpdesk;
    }

    @GetMapping("/api/v1/computers")
    ResponseEntity<?> computers(@RequestParam(name = "name", required = false) String name) {
        SearchResult result = helpdesk.findComputer(name);
        if (result.found()) {
            ComputerSummary computer = result.computer().orElseThrow();
            List<LookupAnswers.Key> keys = helpdesk.keysOf(computer).stream().map(LookupAnswers.Key::of).toList();
            return ResponseEntity.ok(new LookupAnswers.Computers("exact", List.of(LookupAnswers.Computer.of(computer, keys))));
        }
        if (result.candidates().isEmpty()) {
            ProblemDetail problem = Problems.problem(HttpStatus.NOT_FOUND, "no-computer", "No such computer",
                    "no computer is named like that or has it in its name: check the spelling, or search by password ID"
                            + " (GET /api/v1/recovery-keys?id=XXXXXXXX)");
            problem.setProperty("errors", List.of(FieldError.of("name", "no computer matches")));
            return Problems.response(problem);
        }
        return ResponseEntity.ok(new LookupAnswers.Computers("candidates",
                result.candidates().stream().map(computer -> LookupAnswers.Computer.of(computer, null)).toList()));
    }

    @GetMapping("/api/v1/recovery-keys")
    ResponseEntity<?> keys(@RequestParam(name = "id", required = false) String id) {
        List<KeySummary> keys = helpdesk.keysById(id, "id");
        if (keys.isEmpty()) {
            ProblemDetail problem = Problems.problem(HttpStatus.NOT_FOUND, "no-key", "No such recovery key",
                    "no recovery key has a password ID starting with these digits: ask the caller to read the ID again,"
                            + " or search by computer name (GET /api/v1/computers?name=)");
            problem.setProperty("errors", List.of(FieldError.of("id", "no key matches")));
            return Problems.response(problem);
        }
        return ResponseEntity.ok(new LookupAnswers.Keys(keys.stream().map(LookupAnswers.Key::of).toList()));
    }

    @PostMapping("/api/v1/recovery-keys/{recoveryPasswordId}/reveal")
    void reveal(@PathVariable String recoveryPasswordId, HttpServletRequest request, HttpServletResponse response,
            @AuthenticationPrincipal SignedInUser user) throws IOException {
        RevealBody body = revealBody(request);
        KeySummary key = helpdesk.keyById(recoveryPasswordId, "recoveryPasswordId");
        RecoveryPassword password = helpdesk.reveal(user, key.protectorId(), body.request(), CHANNEL, request.getRemoteAddr(),
                body.approvalId(), body.breakGlass());
        SecretResponses.json(response, RevealedSecret.password(key.protectorId().toString(), password.reveal()));
    }

    @PostMapping("/api/v1/recovery-keys/{recoveryPasswordId}/key-package")
    void keyPackage(@PathVariable String recoveryPasswordId, HttpServletRequest request, HttpServletResponse response,
            @AuthenticationPrincipal SignedInUser user) throws IOException {
        RevealBody body = revealBody(request);
        KeySummary key = helpdesk.keyById(recoveryPasswordId, "recoveryPasswordId");
        byte[] keyPackage = helpdesk.keyPackage(user, key.protectorId(), body.request(), CHANNEL, request.getRemoteAddr(),
                body.approvalId(), body.breakGlass());
        try {
            SecretResponses.json(response, RevealedSecret.keyPackage(key.protectorId().toString(),
                    Base64.getEncoder().encodeToString(keyPackage)));
        } finally {
            java.util.Arrays.fill(keyPackage, (byte) 0);
        }
    }

    /** Read whatever the content type, as it always was: scripts that post JSON without saying so keep working. */
    private static RevealBody revealBody(HttpServletRequest request) throws IOException {
        return JsonBodies.read(RequestBodies.read(request, RevealBody.MAX_BODY_BYTES), RevealBody.class).valid();
    }

    @ExceptionHandler(ApprovalRequiredException.class)
    ResponseEntity<ProblemDetail> approvalRequired(ApprovalRequiredException e) {
        ProblemDetail problem = Problems.problem(HttpStatus.FORBIDDEN, "approval-required", "Approval required", e.getMessage());
        problem.setProperty("whyRequired", e.whyRequired());
        return Problems.response(problem);
    }

    @ExceptionHandler(KeyNotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(KeyNotFoundException e) {
        ProblemDetail problem = Problems.problem(HttpStatus.NOT_FOUND, "no-key", "No such recovery key", e.getMessage());
        problem.setProperty("errors", List.of(FieldError.of("recoveryPasswordId", "no key matches")));
        return Problems.response(problem);
    }

    @ExceptionHandler(AmbiguousIdException.class)
    ResponseEntity<ProblemDetail> ambiguous(AmbiguousIdException e) {
        ProblemDetail problem = Problems.problem(HttpStatus.CONFLICT, "ambiguous-id", "The password ID is ambiguous",
                e.getMessage());
        problem.setProperty("errors", List.of(FieldError.of("recoveryPasswordId", "matches " + e.matches().size() + " keys")));
        problem.setProperty("matches", e.matches().stream().map(LookupAnswers.Key::of).toList());
        return Problems.response(problem);
    }

    @ExceptionHandler(RecoveryRefusedException.class)
    ResponseEntity<ProblemDetail> refused(RecoveryRefusedException e) {
        ProblemDetail problem = Problems.problem(HttpStatus.FORBIDDEN, "recovery-refused", "Recovery refused", e.getMessage());
        if (e.field() != null) {
            problem.setProperty("errors", List.of(FieldError.of(e.field(), e.getMessage())));
        }
        return Problems.response(problem);
    }
}
