package com.lockkeeper.lifecycle;

import com.lockkeeper.bitlocker.ComputerName;
import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.VolumeId;
import java.time.Instant;
import java.util.List;

/**
 * Recovery-related entries a device read from its event logs. Optional fields are null.
 * {@code received}: how many events the report held; {@code ignored}: why each one the server
 * does not read was left out (an unknown event ID, a value it cannot parse), in the API's field
 * names and never with a value; {@code skippedFields}: fields the server does not know, left out
 * of events it read.
 */
public record DeviceEventsReport(ComputerName computer, List<Event> events, int received, List<String> ignored,
        List<String> skippedFields) {

    /** BitLocker-Driver's event: a recovery password was typed on the device. */
    public static final int RECOVERY_PASSWORD_USED = 24652;

    public DeviceEventsReport {
        events = List.copyOf(events);
        ignored = List.copyOf(ignored);
        skippedFields = List.copyOf(skippedFields);
    }

    /** A report of events all read. */
    public DeviceEventsReport(ComputerName computer, List<Event> events) {
        this(computer, events, events.size(), List.of(), List.of());
    }

    public record Event(VolumeId volumeId, Instant time, String log, int eventId, Long recordId, ProtectorId recoveryPasswordId,
            String unlockedBy, String recoveryReason, String protectionMode, String pcrProfile, String firmwareVersion,
            String message) {

        /** A recovery password was typed on the device: BitLocker-Driver 24652, or an unlock that names it. */
        public boolean recoveryPasswordUsed() {
            return eventId == RECOVERY_PASSWORD_USED || "RecoveryPassword".equalsIgnoreCase(unlockedBy);
        }

        /**
         * The same event sent again has the same key: its computer, log, event ID, log record
         * number and time (a log's record numbers start again after it is cleared or Windows is
         * reinstalled, so the number alone does not name one event); without a record number,
         * the volume instead.
         */
        String dedupKey(ComputerName computer) {
            String record = recordId != null ? "record " + recordId : "-";
            return "device|" + computer.name() + "|" + log + "|" + eventId + "|" + record + "|" + time
                    + (recordId != null ? "" : "|" + (volumeId == null ? "-" : volumeId.toString()));
        }

        /**
         * The key events were stored under before the time and event ID were part of it: the log
         * record number alone, or without one the event ID, time and volume. A row stored under
         * it is this event only if its time and event ID are this event's too.
         */
        String earlierDedupKey(ComputerName computer) {
            String what = recordId != null ? "record " + recordId
                    : eventId + "|" + time + "|" + (volumeId == null ? "-" : volumeId.toString());
            return "device|" + computer.name() + "|" + log + "|" + what;
        }
    }
}
