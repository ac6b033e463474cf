package com.lockkeeper.device;

import com.lockkeeper.devices.DeviceAccess;
import com.lockkeeper.devices.DeviceCaller;
import com.lockkeeper.http.JsonBodies;
import com.lockkeeper.http.JsonBody;
import com.lockkeeper.lifecycle.DeviceEvents;
import com.lockkeeper.lifecycle.DeviceEventsReport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Clock;
import java.util.Objects;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** `POST /api/v1/events`: recovery events the device read from its BitLocker logs. */
@RestController
class DeviceEventsController {

    static final int MAX_BODY_BYTES = 256 * 1024;

    private final DeviceEvents events;
    private final DeviceAccess access;
    private final Clock clock;

    private final Counter received;
    private final Counter stored;
    private final Counter duplicates;
    private final Counter ignored;

    DeviceEventsController(DeviceEvents events, DeviceAccess access, Clock clock, MeterRegistry registry) {
        this.events = events;
        this.access = access;
        this.clock = clock;
        this.received = events(registry, "received");
        this.stored = events(registry, "stored");
        this.duplicates = events(registry, "duplicate");
        this.ignored = events(registry, "ignored");
    }

    private static Counter events(MeterRegistry registry, String outcome) {
        return Counter.builder("lockkeeper.events").description("Recovery events reported by devices: received, and what became of them")
                .tag("outcome", outcome).register(registry);
    }

    private DeviceEventsReceipt counted(DeviceEventsReceipt receipt) {
        received.increment(receipt.received());
        stored.increment(receipt.stored());
        duplicates.increment(receipt.duplicates());
        ignored.increment(receipt.ignored());
        return receipt;
    }

    /** A pending device's events are counted as ignored: it changes nothing until approved. */
    @PostMapping(DevicePaths.EVENTS)
    DeviceEventsReceipt events(HttpServletRequest request, @AuthenticationPrincipal Object principal) throws IOException {
        JsonBody<DeviceEventsRequest> body = JsonBodies.read(request, MAX_BODY_BYTES, DeviceEventsRequest.class);
        DeviceEventsReport report = body.value().report(body.checks(), clock);
        DeviceCaller caller = DeviceCallers.of(access, principal, report.computer(), DeviceAccess.Use.EVENTS, request);
        int received = report.received();
        if (caller.unapproved()) {
            return counted(new DeviceEventsReceipt(received, 0, 0, received));
        }
        access.requireOwnVolumes(report.computer().name(), report.events().stream().map(DeviceEventsReport.Event::volumeId)
                .filter(Objects::nonNull).distinct().toList());
        DeviceEvents.Outcome outcome = events.record(report, caller.actor());
        return counted(new DeviceEventsReceipt(received, outcome.stored(), outcome.duplicates(), report.ignored().size()));
    }
}
