package com.lockkeeper.device;

import com.lockkeeper.devices.ClientVersion;
import com.lockkeeper.devices.Devices;
import com.lockkeeper.devices.Enrollment;
import com.lockkeeper.http.JsonBodies;
import com.lockkeeper.http.JsonBody;
import com.lockkeeper.tokens.TokenHolder;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * `POST /api/v1/devices/enroll` (enrollment token): a device gets its credential. 201 a new
 * device, 200 the computer's device again (a reimage), 202 another device for a computer that has
 * one, held for an admin.
 */
@RestController
class EnrollController {

    static final int MAX_BODY_BYTES = 4 * 1024;

    private final Devices devices;

    EnrollController(Devices devices) {
        this.devices = devices;
    }

    @PostMapping(DevicePaths.ENROLL)
    ResponseEntity<EnrollAnswer> enroll(HttpServletRequest request, @AuthenticationPrincipal TokenHolder token) throws IOException {
        JsonBody<EnrollRequest> body = JsonBodies.read(request, MAX_BODY_BYTES, EnrollRequest.class);
        EnrollRequest.Checked checked = body.value().checked(body.checks());
        String version = checked.clientVersion() != null ? checked.clientVersion()
                : ClientVersion.ofHeader(request.getHeader(DeviceCallers.CLIENT_VERSION)).orElse(null);
        Enrollment enrollment = devices.enroll(checked.computer(), checked.hardwareId(), version, token.tokenName());
        HttpStatus status = switch (enrollment.outcome()) {
            case ENROLLED -> HttpStatus.CREATED;
            case REENROLLED -> HttpStatus.OK;
            case PENDING -> HttpStatus.ACCEPTED;
        };
        return ResponseEntity.status(status).cacheControl(CacheControl.noStore()).body(EnrollAnswer.of(enrollment));
    }
}
