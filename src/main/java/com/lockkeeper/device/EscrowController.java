package com.lockkeeper.device;

import com.lockkeeper.computers.VolumeOfAnotherComputerException;
import com.lockkeeper.devices.DeviceAccess;
import com.lockkeeper.devices.DeviceCaller;
import com.lockkeeper.escrow.EscrowCommand;
import com.lockkeeper.escrow.EscrowOrigin;
import com.lockkeeper.escrow.EscrowOutcome;
import com.lockkeeper.escrow.EscrowRequest;
import com.lockkeeper.escrow.EscrowService;
import com.lockkeeper.http.JsonBodies;
import com.lockkeeper.http.JsonBody;
import com.lockkeeper.http.Problems;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
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
    private final DeviceAccess access;
    private final Clock clock;

    EscrowController(EscrowService escrow, DeviceAccess access, Clock clock) {
        this.escrow = escrow;
        this.access = access;
        this.clock = clock;
    }

    @PostMapping(DevicePaths.ESCROW)
    ResponseEntity<?> escrow(HttpServletRequest request, @AuthenticationPrincipal Object principal) throws IOException {
        JsonBody<EscrowRequest> body = JsonBodies.read(request, MAX_BODY_BYTES, EscrowRequest.class);
        EscrowCommand command = body.value().command(body.checks(), clock);
        DeviceCaller caller = DeviceCallers.of(access, principal, command.computer(), DeviceAccess.Use.ESCROW, request);
        EscrowOutcome outcome = escrow.escrow(command, origin(caller));
        String id = command.recoveryPasswordId().toString();
        return switch (outcome) {
            case CREATED -> ResponseEntity.created(URI.create("/api/v1/recovery-keys/" + command.recoveryPasswordId().hex()))
                    .body(new EscrowReceipt("stored", id));
            case ALREADY_STORED -> ResponseEntity.ok(new EscrowReceipt("already-stored", id));
            case REPLACED -> ResponseEntity.ok(new EscrowReceipt("stored", id, true));
            case CONFLICT -> Problems.response(Problems.problem(HttpStatus.CONFLICT, "escrow-conflict",
                    "Recovery password ID already stored",
                    "recovery password ID " + id + " is stored with a different recovery password or for another volume;"
                            + " nothing was changed. A new recovery password needs a new protector (and so a new ID)"));
            case VOLUME_OF_ANOTHER_COMPUTER -> Problems.response(DeviceProblems.volumeOfAnotherComputer(
                    new VolumeOfAnotherComputerException(command.volumeId(), command.computer().name()).getMessage()));
        };
    }

    private static EscrowOrigin origin(DeviceCaller caller) {
        EscrowOrigin.Trust trust = switch (caller.trust()) {
            case APPROVED -> EscrowOrigin.Trust.APPROVED_DEVICE;
            case LEGACY -> EscrowOrigin.Trust.ENROLLMENT_TOKEN;
            case PENDING, UNAPPROVED_TOKEN -> EscrowOrigin.Trust.UNAPPROVED;
        };
        return new EscrowOrigin(caller.actor(), caller.deviceId(), trust);
    }
}
