package com.lockkeeper.device;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.http.JsonBodies;
import com.lockkeeper.http.JsonBody;
import com.lockkeeper.lifecycle.DeviceEvents;
import com.lockkeeper.lifecycle.DeviceEventsReport;
import com.lockkeeper.tokens.TokenHolder;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Clock;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** `POST /api/v1/events`: recovery events the device read from its BitLocker logs. */
@RestController
class DeviceEventsController {

    static final int MAX_BODY_BYTES = 256 * 1024;

    private final DeviceEvents events;
    private final Clock clock;

    DeviceEventsController(DeviceEvents events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    @PostMapping(DevicePaths.EVENTS)
    DeviceEventsReceipt events(HttpServletRequest request, @AuthenticationPrincipal TokenHolder device) throws IOException {
        JsonBody<DeviceEventsRequest> body = JsonBodies.read(request, MAX_BODY_BYTES, DeviceEventsRequest.class);
        DeviceEventsReport report = body.value().report(body.checks(), clock);
        DeviceEvents.Outcome outcome = events.record(report, Actor.device(device.tokenName()));
        return new DeviceEventsReceipt(report.received(), outcome.stored(), outcome.duplicates(), report.ignored().size());
    }
}
