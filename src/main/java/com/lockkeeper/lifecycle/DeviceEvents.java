package com.lockkeeper.lifecycle;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.audit.AuditAction;
import com.lockkeeper.audit.AuditEntry;
import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.computers.ComputerRepository;
import com.lockkeeper.computers.KeyState;
import com.lockkeeper.computers.KeyStatus;
import com.lockkeeper.computers.RecoveryKeyRepository;
import java.time.Clock;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Recovery events from the devices' own logs, into each computer's recovery timeline. A recovery
 * password typed on the device counts as disclosed even when nobody asked the helpdesk (the user
 * read it from a printout): the key is marked disclosed and its rotation scheduled. When the
 * event does not say which protector was used, every live key of the volume is, since any of
 * them may have been. An event sent again changes nothing. Events the server does not read were
 * left out of the report already; they are logged (why, never a value) and counted.
 */
public final class DeviceEvents {

    private static final Logger log = LoggerFactory.getLogger(DeviceEvents.class);
    /** How many reasons one log line names at most. */
    private static final int LOGGED_REASONS = 10;

    /** What a report did: events new to the server, and those it had already. */
    public record Outcome(int stored, int duplicates, int keysDisclosed) {
    }

    private final ComputerRepository computers;
    private final RecoveryKeyRepository keys;
    private final Disclosures disclosures;
    private final RecoveryEventRepository events;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final Clock clock;

    DeviceEvents(ComputerRepository computers, RecoveryKeyRepository keys, Disclosures disclosures, RecoveryEventRepository events,
            AuditLog audit, TransactionTemplate transactions, Clock clock) {
        this.computers = computers;
        this.keys = keys;
        this.disclosures = disclosures;
        this.events = events;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
    }

    public Outcome record(DeviceEventsReport report, Actor actor) {
        logWhatWasLeftOut(report);
        return transactions.execute(tx -> {
            long computerId = computers.upsertComputer(report.computer(), clock.instant());
            int stored = 0;
            int disclosed = 0;
            for (DeviceEventsReport.Event event : report.events()) {
                if (events.storedUnderEarlierKey(event.earlierDedupKey(report.computer()), event.eventId(), event.time())) {
                    continue; // sent again after the server's upgrade: stored already, under the key of its time
                }
                Long volumeRowId = event.volumeId() == null ? null : computers.volumeRowId(event.volumeId()).orElse(null);
                boolean isNew = disclosures.record(new RecoveryEvent(computerId, volumeRowId,
                        event.recoveryPasswordId() == null ? null : event.recoveryPasswordId().hex(), event.time(),
                        RecoveryEvent.DEVICE, event.log(), event.eventId(), event.unlockedBy(), event.recoveryReason(),
                        event.protectionMode(), event.pcrProfile(), event.firmwareVersion(), event.message(), actor.toString(),
                        null, null, null, event.dedupKey(report.computer())));
                if (!isNew) {
                    continue;
                }
                stored++;
                if (event.recoveryPasswordUsed()) {
                    for (KeyState key : usedKeys(event, computerId, volumeRowId)) {
                        disclosures.disclose(key, "recovery password used on the device", actor);
                        audit.record(AuditEntry.success(actor, AuditAction.KEY_DISCLOSED, "key " + key.protectorId(),
                                "recovery password used on " + report.computer().name() + " at " + event.time() + " ("
                                        + event.log() + " " + event.eventId() + "); rotation scheduled"));
                        disclosed++;
                    }
                }
            }
            return new Outcome(stored, report.events().size() - stored, disclosed);
        });
    }

    private static void logWhatWasLeftOut(DeviceEventsReport report) {
        if (!report.ignored().isEmpty()) {
            log.info("Events from {}: {} of {} not read and counted as ignored: {}{}", report.computer().name(),
                    report.ignored().size(), report.received(), report.ignored().stream().limit(LOGGED_REASONS)
                            .map(DeviceEvents::printable).collect(Collectors.joining(" | ")),
                    report.ignored().size() > LOGGED_REASONS ? " | …" : "");
        }
        if (!report.skippedFields().isEmpty() && log.isDebugEnabled()) {
            log.debug("Events from {}: fields Lockkeeper does not read were skipped: {}", report.computer().name(),
                    report.skippedFields().stream().distinct().limit(LOGGED_REASONS).map(DeviceEvents::printable)
                            .collect(Collectors.joining(", ")));
        }
    }

    /** Field names are the client's: only printable ASCII, bounded, reaches the log. */
    private static String printable(String text) {
        String bounded = text.length() > 300 ? text.substring(0, 300) + "…" : text;
        return bounded.replaceAll("[^\\x20-\\x7E…]", "?");
    }

    private List<KeyState> usedKeys(DeviceEventsReport.Event event, long computerId, Long volumeRowId) {
        if (event.recoveryPasswordId() != null) {
            return keys.stateOf(event.recoveryPasswordId())
                    .filter(key -> key.computerId() == computerId)
                    .filter(key -> key.status() != KeyStatus.RETIRED)
                    .map(List::of).orElse(List.of());
        }
        return volumeRowId == null ? List.of() : keys.liveKeysOnVolume(volumeRowId);
    }
}
