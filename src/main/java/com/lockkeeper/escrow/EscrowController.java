package com.lockkeeper.escrow;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.tokens.TokenHolder;
import com.lockkeeper.http.Problems;
import com.lockkeeper.http.RequestBodies;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** `POST /api/v1/escrow`: devices send their recovery passwords here. */
@RestController
class EscrowController {

    static final int MAX_BODY_BYTES = 64 * 1024;

    private final EscrowService escrow;
    private final EscrowRequestParser parser;

    EscrowController(EscrowService escrow, Clock clock) {
        this.escrow = escrow;
        this.parser = new EscrowRequestParser(clock);
    }

    @PostMapping("/api/v1/escrow")
    ResponseEntity<?> escrow(HttpServletRequest request, @AuthenticationPrincipal TokenHolder device) throws IOException {
        requireJson(request);
        EscrowCommand command = parser.parse(RequestBodies.read(request, MAX_BODY_BYTES));
        EscrowOutcome outcome = escrow.escrow(command, Actor.device(device.tokenName()));
        String id = command.recoveryPasswordId().toString();
        return switch (outcome) {
            case CREATED -> ResponseEntity.created(URI.create("/api/v1/recovery-keys/" + command.recoveryPasswordId().hex()))
                    .body(Map.of("status", "stored", "recoveryPasswordId", id));
            case ALREADY_STORED -> ResponseEntity.ok(Map.of("status", "already-stored", "recoveryPasswordId", id));
            case CONFLICT -> Problems.response(Problems.problem(HttpStatus.CONFLICT, "escrow-conflict",
                    "Recovery password ID already stored",
                    "recovery password ID " + id + " is stored with a different recovery password or for another volume;"
                            + " nothing was changed. A new recovery password needs a new protector (and so a new ID)"));
        };
    }

    private static void requireJson(HttpServletRequest request) {
        String type = request.getContentType();
        if (type != null && !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new com.lockkeeper.http.InvalidRequestException(com.lockkeeper.http.FieldError.of(null,
                    "send the body as application/json"));
        }
    }
}
