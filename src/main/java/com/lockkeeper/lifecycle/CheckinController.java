package com.lockkeeper.lifecycle;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.tokens.TokenHolder;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** `POST /api/v1/checkin`: the device says what it has, the server answers what it wants done. */
@RestController
class CheckinController {

    static final int MAX_BODY_BYTES = 64 * 1024;

    private final CheckinService checkins;
    private final CheckinParser parser = new CheckinParser();

    CheckinController(CheckinService checkins) {
        this.checkins = checkins;
    }

    @PostMapping("/api/v1/checkin")
    Map<String, Object> checkin(HttpServletRequest request, @AuthenticationPrincipal TokenHolder device) throws IOException {
        CheckinReport report = parser.parse(DeviceJson.readObject(request, MAX_BODY_BYTES));
        List<PendingAction> pending = checkins.checkin(report, Actor.device(device.tokenName()));
        return Map.of("actions", pending.stream().map(CheckinController::action).toList());
    }

    private static Map<String, String> action(PendingAction action) {
        Map<String, String> json = new LinkedHashMap<>();
        json.put("type", action.kind().apiName());
        json.put("volumeId", action.volumeId().toString());
        json.put("recoveryPasswordId", action.protectorId().toString());
        return json;
    }
}
