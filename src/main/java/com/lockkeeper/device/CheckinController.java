package com.lockkeeper.device;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.http.JsonBodies;
import com.lockkeeper.http.JsonBody;
import com.lockkeeper.lifecycle.CheckinReport;
import com.lockkeeper.lifecycle.CheckinService;
import com.lockkeeper.tokens.TokenHolder;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** `POST /api/v1/checkin`: the device says what it has, the server answers what it wants done. */
@RestController
class CheckinController {

    static final int MAX_BODY_BYTES = 64 * 1024;

    private final CheckinService checkins;

    CheckinController(CheckinService checkins) {
        this.checkins = checkins;
    }

    @PostMapping(DevicePaths.CHECKIN)
    CheckinAnswer checkin(HttpServletRequest request, @AuthenticationPrincipal TokenHolder device) throws IOException {
        JsonBody<CheckinRequest> body = JsonBodies.read(request, MAX_BODY_BYTES, CheckinRequest.class);
        CheckinReport report = body.value().report(body.checks());
        return CheckinAnswer.of(checkins.checkin(report, Actor.device(device.tokenName())));
    }
}
