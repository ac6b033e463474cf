package com.lockkeeper.lifecycle;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.tokens.TokenHolder;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** `POST /api/v1/events`: recovery events the device read from its BitLocker logs. */
@RestController
class DeviceEventsController {

    static final int MAX_BODY_BYTES = 256 * 1024;

    private final DeviceEvents events;
    private final DeviceEventsParser parser;

    DeviceEventsController(DeviceEvents events, Clock clock) {
        this.events = events;
        this.parser = new DeviceEventsParser(clock);
    }

    @PostMapping("/api/v1/events")
    Map<String, Object> events(HttpServletRequest request, @AuthenticationPrincipal TokenHolder device) throws IOException {
        DeviceEventsReport report = parser.parse(DeviceJson.readObject(request, MAX_BODY_BYTES));
        DeviceEvents.Outcome outcome = events.record(report, Actor.device(device.tokenName()));
        return Map.of("received", report.events().size(), "stored", outcome.stored(), "duplicates", outcome.duplicates());
    }
}
