package com.lockkeeper.device;

import com.lockkeeper.bitlocker.ComputerName;
import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.ReportedTime;
import com.lockkeeper.bitlocker.VolumeId;
import com.lockkeeper.http.FieldChecks;
import com.lockkeeper.http.TextValues;
import com.lockkeeper.lifecycle.DeviceEventsReport;
import com.lockkeeper.support.InvalidValueException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** The body of `POST /api/v1/events` as sent, checked into a {@link DeviceEventsReport}. */
record DeviceEventsRequest(String computer, List<Event> events) {

    static final int MAX_EVENTS = 200;
    static final String DRIVER = "BitLocker-Driver";
    static final String API = "BitLocker-API";
    /** The events the client reads, by log: 24652 recovery password used; 782/805 unlocked (805 in Windows RE); 521/522/523
     * PCR mismatch, boot application changed, BCD changed; 530 locked out after too many attempts. */
    static final Map<String, Set<Integer>> EVENT_IDS = Map.of(DRIVER, Set.of(DeviceEventsReport.RECOVERY_PASSWORD_USED),
            API, Set.of(782, 805, 521, 522, 523, 530));
    private static final Function<String, String> PCR_PROFILE = text -> {
        if (!text.matches("[0-9]{1,2}( ?, ?[0-9]{1,2}){0,23}")) {
            throw new InvalidValueException("must be the PCR indexes separated by commas, like 0,2,4,11");
        }
        return text.replace(" ", "");
    };
    private static final Function<String, String> PROTECTION_MODE = TextValues.oneOf("Tpm", "TpmPin", "TpmStartupKey",
            "TpmPinStartupKey", "StartupKey", "Password");

    /** The report; every problem, with those {@code checks} hold already, is thrown at once. */
    DeviceEventsReport report(FieldChecks checks, Clock clock) {
        ComputerName name = checks.required("computer", computer, ComputerName::parse);
        List<DeviceEventsReport.Event> reported = checks.objects("events",
                checks.requiredArray("events", events, MAX_EVENTS, "events read from the BitLocker logs"),
                "must be an object with time, source and eventId", (event, at) -> event.report(at, clock));
        checks.throwIfAny();
        return new DeviceEventsReport(name, reported);
    }

    /** One entry of a BitLocker log; all but time, source and eventId may be absent. */
    record Event(String volumeId, String time, String source, Integer eventId, Long recordId, String recoveryPasswordId,
            String unlockedBy, String recoveryReason, String protectionMode, String pcrProfile, String firmwareVersion,
            String message) {

        /** The event, or null if a value it cannot do without is missing or wrong. */
        DeviceEventsReport.Event report(FieldChecks checks, Clock clock) {
            VolumeId volume = checks.optional("volumeId", volumeId, VolumeId::parse);
            Instant at = checks.required("time", time, text -> ReportedTime.parse(text, clock));
            String log = checks.required("source", source, TextValues.oneOf(DRIVER, API));
            boolean hasEventId = checks.present("eventId", eventId, "is required");
            if (log != null && hasEventId && !EVENT_IDS.get(log).contains(eventId)) {
                checks.reject("eventId", "is not an event Lockkeeper reads from " + log + "; those are "
                        + EVENT_IDS.get(log).stream().sorted().map(String::valueOf).toList());
            }
            if (recordId != null && recordId < 0) {
                checks.reject("recordId", "must be a whole number, 0 or more");
            }
            ProtectorId protector = checks.optional("recoveryPasswordId", recoveryPasswordId, ProtectorId::parse);
            String unlocked = checks.optional("unlockedBy", unlockedBy, TextValues.word(32, "RecoveryPassword"));
            String reason = checks.optional("recoveryReason", recoveryReason, TextValues.line(255));
            String mode = checks.optional("protectionMode", protectionMode, PROTECTION_MODE);
            String pcr = checks.optional("pcrProfile", pcrProfile, PCR_PROFILE);
            String firmware = checks.optional("firmwareVersion", firmwareVersion, TextValues.line(128));
            String text = checks.optional("message", message, TextValues.line(2000));
            if (at == null || log == null || !hasEventId) {
                return null;
            }
            return new DeviceEventsReport.Event(volume, at, log, eventId, recordId, protector, unlocked, reason, mode, pcr,
                    firmware, text);
        }
    }
}
