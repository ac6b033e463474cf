package com.lockkeeper.device;

import com.lockkeeper.devices.DeviceAccess;
import com.lockkeeper.devices.DeviceCaller;
import com.lockkeeper.http.JsonBodies;
import com.lockkeeper.http.JsonBody;
import com.lockkeeper.lifecycle.CheckinReport;
import com.lockkeeper.lifecycle.CheckinService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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
    private final DeviceAccess access;

    private final Counter recorded;
    private final Counter pending;

    CheckinController(CheckinService checkins, DeviceAccess access, MeterRegistry registry) {
        this.checkins = checkins;
        this.access = access;
        this.recorded = checkins(registry, "recorded");
        this.pending = checkins(registry, "pending");
    }

    private static Counter checkins(MeterRegistry registry, String outcome) {
        return Counter.builder("lockkeeper.checkins").description("Device check-ins answered, by outcome")
                .tag("outcome", outcome).register(registry);
    }

    /** A pending device is answered, and nothing it reports is recorded: it changes nothing until approved. */
    @PostMapping(DevicePaths.CHECKIN)
    CheckinAnswer checkin(HttpServletRequest request, @AuthenticationPrincipal Object principal) throws IOException {
        JsonBody<CheckinRequest> body = JsonBodies.read(request, MAX_BODY_BYTES, CheckinRequest.class);
        CheckinReport report = body.value().report(body.checks());
        DeviceCaller caller = DeviceCallers.of(access, principal, report.computer(), DeviceAccess.Use.CHECKIN, request);
        if (caller.unapproved()) {
            pending.increment();
            return CheckinAnswer.pending();
        }
        access.requireOwnVolumes(report.computer().name(), report.volumes().stream().map(CheckinReport.Volume::volumeId).toList());
        CheckinAnswer answer = CheckinAnswer.of(checkins.checkin(report, caller.actor()));
        recorded.increment();
        return answer;
    }
}
