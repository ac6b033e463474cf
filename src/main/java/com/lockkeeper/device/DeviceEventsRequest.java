package com.lockkeeper.device;

import com.lockkeeper.bitlocker.ComputerName;
import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.ReportedTime;
import com.lockkeeper.bitlocker.VolumeId;
import com.lockkeeper.http.FieldChecks;
import com.lockkeeper.http.FieldError;
import com.lockkeeper.http.TextValues;
import com.lockkeeper.lifecycle.DeviceEventsReport;
import com.lockkeeper.support.InvalidValueException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The body of `POST /api/v1/events` as sent, checked into a {@link DeviceEventsReport}. Events
 * never block the client: an event the server does not read (an unknown source or event ID, a
 * value it cannot parse, not an object) is left out and counted, and fields it does not know are
 * skipped. Only a body that is not an events report at all (no valid {@code computer}, no
 * {@code events} array, more events than allowed) is refused.
 */
record DeviceEventsRequest(String computer, List<Event> events) {

    static final int MAX_EVENTS = 200;
    static final String DRIVER = "BitLocker-Driver";
    static final String API = "BitLocker-API";
    /** The events the client reads, by log: 24652 recovery password used; 782/805 unlocked (805 in Windows RE); 521/522/523
     * PCR mismatch, boot application changed, BCD changed; 530 locked out after too many attempts. */
    static final Map<String, Set<Integer>> EVENT_IDS = Map.of(DRIVER, Set.of(DeviceEventsReport.RECOVERY_PASSWORD_USED),
            API, Set.of(782, 805, 521, 522, 523, 530));
    /** The log names as clients send them, short or as Windows names the provider or channel, to the short name. */
    private static final Map<String, String> SOURCES = sources();
    private static final Set<String> EVENT_FIELDS = componentNames(Event.class);
    private static final Function<String, String> SOURCE = text -> {
        String log = SOURCES.get(text.strip().toLowerCase(Locale.ROOT));
        if (log == null) {
            throw new InvalidValueException("is not a log Lockkeeper reads: " + DRIVER + " or " + API
                    + " (or Microsoft-Windows-BitLocker-Driver, Microsoft-Windows-BitLocker-API,"
                    + " Microsoft-Windows-BitLocker/BitLocker Management)");
        }
        return log;
    };
    private static final Function<String, String> PCR_PROFILE = text -> {
        if (!text.matches("[0-9]{1,2}( ?, ?[0-9]{1,2}){0,23}")) {
            throw new InvalidValueException("must be the PCR indexes separated by commas, like 0,2,4,11");
        }
        return text.replace(" ", "");
    };
    /** Protection modes: the usual ones in their usual spelling, and any other protector type word as sent. */
    private static final Function<String, String> PROTECTION_MODE = text -> {
        for (String known : new String[] {"Tpm", "TpmPin", "TpmStartupKey", "TpmPinStartupKey", "StartupKey", "Password"}) {
            if (known.equalsIgnoreCase(text.strip())) {
                return known;
            }
        }
        return TextValues.word(32, "TpmPin").apply(text);
    };
    /** Any protector type word Windows names: RecoveryPassword, Tpm, TpmPin, ExternalKey, TpmNetworkKey, … */
    private static final Function<String, String> PROTECTOR_TYPE = TextValues.word(64, "TpmNetworkKey");

    /**
     * The report: the events read, and why each other one was left out. Throws only when the body
     * is not an events report at all.
     */
    DeviceEventsReport report(FieldChecks checks, Clock clock) {
        ComputerName name = checks.required("computer", computer, ComputerName::parse);
        List<Event> sent = checks.requiredArray("events", events, MAX_EVENTS, "events read from the BitLocker logs");
        List<DeviceEventsReport.Event> checked = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            FieldChecks at = checks.at(element(i));
            Event event = sent.get(i);
            checked.add(event == null ? null : event.report(at, clock));
        }
        checks.throwIf(error -> error.field() == null || error.field().equals("computer") || error.field().equals("events"));

        Map<Integer, List<String>> problems = new TreeMap<>();
        List<String> skipped = new ArrayList<>();
        for (FieldError error : checks.found()) {
            int index = elementOf(error.field());
            if (index < 0 || isUnknownField(error.field(), index)) {
                skipped.add(error.field());
            } else {
                problems.computeIfAbsent(index, k -> new ArrayList<>()).add(error.describe());
            }
        }
        List<DeviceEventsReport.Event> read = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            if (sent.get(i) == null) {
                ignored.add(element(i) + ": is not an object");
            } else if (problems.containsKey(i) || checked.get(i) == null) {
                ignored.add(String.join("; ", problems.getOrDefault(i, List.of(element(i) + ": cannot be read"))));
            } else {
                read.add(checked.get(i));
            }
        }
        return new DeviceEventsReport(name, read, sent.size(), ignored, skipped);
    }

    private static String element(int index) {
        return "events[" + index + "]";
    }

    /** The index of the event a field is in, or -1 if it is outside the events. */
    private static int elementOf(String field) {
        if (field == null || !field.startsWith("events[")) {
            return -1;
        }
        int end = field.indexOf(']');
        try {
            return Integer.parseInt(field.substring("events[".length(), end));
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            return -1;
        }
    }

    /** A field of an event that is not one of an event's fields: skipped, the event is still read. */
    private static boolean isUnknownField(String field, int index) {
        String prefix = element(index) + ".";
        return field.startsWith(prefix) && !EVENT_FIELDS.contains(field.substring(prefix.length()));
    }

    private static Set<String> componentNames(Class<? extends Record> type) {
        return Arrays.stream(type.getRecordComponents()).map(c -> c.getName()).collect(Collectors.toUnmodifiableSet());
    }

    private static Map<String, String> sources() {
        Map<String, String> names = new java.util.HashMap<>();
        for (String name : new String[] {DRIVER, "Microsoft-Windows-BitLocker-Driver"}) {
            names.put(name.toLowerCase(Locale.ROOT), DRIVER);
        }
        for (String name : new String[] {API, "Microsoft-Windows-BitLocker-API", "Microsoft-Windows-BitLocker/BitLocker Management"}) {
            names.put(name.toLowerCase(Locale.ROOT), API);
        }
        return Map.copyOf(names);
    }

    /** One entry of a BitLocker log; all but time, source and eventId may be absent. */
    record Event(String volumeId, String time, String source, Integer eventId, Long recordId, String recoveryPasswordId,
            String unlockedBy, String recoveryReason, String protectionMode, String pcrProfile, String firmwareVersion,
            String message) {

        /** The event, or null if a value it cannot do without is missing or wrong. */
        DeviceEventsReport.Event report(FieldChecks checks, Clock clock) {
            VolumeId volume = checks.optional("volumeId", volumeId, VolumeId::parse);
            Instant at = checks.required("time", time, text -> ReportedTime.parse(text, clock));
            String log = checks.required("source", source, SOURCE);
            boolean hasEventId = checks.present("eventId", eventId, "is required");
            if (log != null && hasEventId && !EVENT_IDS.get(log).contains(eventId)) {
                checks.reject("eventId", "is not an event Lockkeeper reads from " + log + "; those are "
                        + EVENT_IDS.get(log).stream().sorted().map(String::valueOf).toList());
            }
            if (recordId != null && recordId < 0) {
                checks.reject("recordId", "must be a whole number, 0 or more");
            }
            ProtectorId protector = checks.optional("recoveryPasswordId", recoveryPasswordId, ProtectorId::parse);
            String unlocked = checks.optional("unlockedBy", unlockedBy, PROTECTOR_TYPE);
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
