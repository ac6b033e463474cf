package com.lockkeeper.testing;

import com.lockkeeper.computers.ComputerRepository;
import com.lockkeeper.lifecycle.Disclosures;
import com.lockkeeper.lifecycle.RecoveryEvent;
import java.time.Instant;
import java.util.UUID;
import org.springframework.context.ApplicationContext;

/**
 * Recovery events as a device reports them from its event logs, stored through the lifecycle's
 * own {@link Disclosures#record} (the path the events API takes), at any time in the past.
 */
public final class DeviceEvents {

    private DeviceEvents() {
    }

    /** A device event of this computer (escrowed before), occurred at {@code at}. */
    public static void report(ApplicationContext server, String computer, Instant at, int eventId, String firmwareVersion) {
        report(server, computer, at, eventId, firmwareVersion, null);
    }

    public static void report(ApplicationContext server, String computer, Instant at, int eventId, String firmwareVersion,
            String recoveryReason) {
        long computerId = server.getBean(ComputerRepository.class).computerId(computer)
                .orElseThrow(() -> new IllegalArgumentException("no computer " + computer + ": escrow a key for it first"));
        String log = eventId == 24652 ? "BitLocker-Driver" : "BitLocker-API";
        boolean stored = server.getBean(Disclosures.class).record(new RecoveryEvent(computerId, null, null, at, RecoveryEvent.DEVICE,
                log, eventId, eventId == 24652 || eventId == 782 || eventId == 805 ? "RecoveryPassword" : null, recoveryReason,
                "TpmPin", "7, 11", firmwareVersion, null, null, null, null, null, "test:" + UUID.randomUUID()));
        if (!stored) {
            throw new IllegalStateException("the event was not stored");
        }
    }
}
