package com.lockkeeper.lifecycle;

import com.lockkeeper.bitlocker.ComputerName;
import com.lockkeeper.bitlocker.InvalidValueException;
import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.VolumeId;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/** The body of `POST /api/v1/events` into a {@link DeviceEventsReport}, every problem named by its field. */
final class DeviceEventsParser {

    static final int MAX_EVENTS = 200;
    static final int RECOVERY_PASSWORD_USED = 24652;
    static final String DRIVER = "BitLocker-Driver";
    static final String API = "BitLocker-API";
    /** The events the client reads, by log: 24652 recovery password used; 782/805 unlocked (805 in Windows RE); 521/522/523
     * PCR mismatch, boot application changed, BCD changed; 530 locked out after too many attempts. */
    static final Map<String, Set<Integer>> EVENT_IDS = Map.of(DRIVER, Set.of(RECOVERY_PASSWORD_USED),
            API, Set.of(782, 805, 521, 522, 523, 530));
    private static final Set<String> FIELDS = Set.of("computer", "events");
    private static final Set<String> EVENT_FIELDS = Set.of("volumeId", "time", "source", "eventId", "recordId",
            "recoveryPasswordId", "unlockedBy", "recoveryReason", "protectionMode", "pcrProfile", "firmwareVersion", "message");
    private static final Function<String, String> PCR_PROFILE = text -> {
        if (!text.matches("[0-9]{1,2}( ?, ?[0-9]{1,2}){0,23}")) {
            throw new InvalidValueException("must be the PCR indexes separated by commas, like 0,2,4,11");
        }
        return text.replace(" ", "");
    };

    private final Clock clock;

    DeviceEventsParser(Clock clock) {
        this.clock = clock;
    }

    DeviceEventsReport parse(JsonNode root) {
        DeviceJson json = new DeviceJson();
        json.onlyKnown(root, "", FIELDS);
        ComputerName computer = json.required(root, "", "computer", ComputerName::parse);
        List<JsonNode> nodes = json.array(root, "", "events", MAX_EVENTS, true, "events read from the BitLocker logs");
        List<DeviceEventsReport.Event> events = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (!nodes.get(i).isObject()) {
                json.error("events[" + i + "]", "must be an object with time, source and eventId");
                continue;
            }
            DeviceEventsReport.Event event = event(json, nodes.get(i), "events[" + i + "].");
            if (event != null) {
                events.add(event);
            }
        }
        json.throwIfAny();
        return new DeviceEventsReport(computer, events);
    }

    private DeviceEventsReport.Event event(DeviceJson json, JsonNode node, String prefix) {
        int before = json.errorCount();
        json.onlyKnown(node, prefix, EVENT_FIELDS);
        VolumeId volumeId = json.optional(node, prefix, "volumeId", VolumeId::parse);
        Instant time = json.required(node, prefix, "time", DeviceJson.time(clock));
        String log = json.required(node, prefix, "source", DeviceJson.oneOf(DRIVER, API));
        Integer eventId = json.integer(node, prefix, "eventId", true);
        if (log != null && eventId != null && !EVENT_IDS.get(log).contains(eventId)) {
            json.error(prefix + "eventId", "is not an event Lockkeeper reads from " + log + "; those are "
                    + EVENT_IDS.get(log).stream().sorted().map(String::valueOf).toList());
        }
        Long recordId = json.longValue(node, prefix, "recordId");
        ProtectorId recoveryPasswordId = json.optional(node, prefix, "recoveryPasswordId", ProtectorId::parse);
        String unlockedBy = json.optional(node, prefix, "unlockedBy", DeviceJson.word(32, "RecoveryPassword"));
        String reason = json.optional(node, prefix, "recoveryReason", DeviceJson.text(255));
        String mode = json.optional(node, prefix, "protectionMode", DeviceJson.oneOf("Tpm", "TpmPin", "TpmStartupKey",
                "TpmPinStartupKey", "StartupKey", "Password"));
        String pcr = json.optional(node, prefix, "pcrProfile", PCR_PROFILE);
        String firmware = json.optional(node, prefix, "firmwareVersion", DeviceJson.text(128));
        String message = json.optional(node, prefix, "message", DeviceJson.text(2000));
        if (json.errorCount() != before) {
            return null;
        }
        return new DeviceEventsReport.Event(volumeId, time, log, eventId, recordId, recoveryPasswordId, unlockedBy, reason, mode,
                pcr, firmware, message);
    }
}
