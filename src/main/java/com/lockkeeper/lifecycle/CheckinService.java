package com.lockkeeper.lifecycle;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.audit.AuditAction;
import com.lockkeeper.audit.AuditEntry;
import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.computers.ComputerRepository;
import com.lockkeeper.computers.ComputerRepository.VolumeReport;
import com.lockkeeper.computers.KeyState;
import com.lockkeeper.computers.KeyStatus;
import com.lockkeeper.computers.KeysAwaitingVolume;
import com.lockkeeper.computers.RecoveryKeyRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A device's check-in: records what it reports, compares its recovery password protectors with
 * the keys held for each volume, and answers the actions pending for it. A key leaves the
 * server's books only when the device shows its protector gone: a disclosed key whose protector
 * is gone was rotated, an active one was removed on the device; a protector the server never
 * received is asked for. Volumes the device does not report (a removable drive not plugged in)
 * are left alone.
 */
public final class CheckinService {

    public static final String ROTATED = "rotated";
    public static final String REMOVED_ON_DEVICE = "removed on device";

    private final ComputerRepository computers;
    private final RecoveryKeyRepository keys;
    private final DeviceActionRepository actions;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final KeysAwaitingVolume awaitingVolume;

    CheckinService(ComputerRepository computers, RecoveryKeyRepository keys, DeviceActionRepository actions, AuditLog audit,
            TransactionTemplate transactions, Clock clock, KeysAwaitingVolume awaitingVolume) {
        this.awaitingVolume = awaitingVolume;
        this.computers = computers;
        this.keys = keys;
        this.actions = actions;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
    }

    public List<PendingAction> checkin(CheckinReport report, Actor actor) {
        return transactions.execute(tx -> {
            Instant now = clock.instant();
            long computerId = computers.upsertComputer(report.computer(), now);
            computers.recordCheckin(computerId, now);
            for (CheckinReport.Volume volume : report.volumes()) {
                long volumeRowId = computers.upsertVolume(computerId, volume.volumeId(), volume.volumeType(), volume.driveLabel(), now);
                awaitingVolume.attachReported(volumeRowId, volume.volumeId(), volume.recoveryPasswordIds(), actor, now);
                computers.recordVolumeReport(volumeRowId, new VolumeReport(volume.protectionStatus(), volume.encryptionMethod(),
                        volume.keyProtectors(), volume.recoveryPasswordIds().stream().map(ProtectorId::hex).toList()), now);
                retireWhatIsGone(report, volume, volumeRowId, actor, now);
                askForWhatWasNeverEscrowed(report, volume, volumeRowId, actor, now);
            }
            return actions.pendingForComputer(computerId);
        });
    }

    private void retireWhatIsGone(CheckinReport report, CheckinReport.Volume volume, long volumeRowId, Actor actor, Instant now) {
        Set<ProtectorId> onDevice = new HashSet<>(volume.recoveryPasswordIds());
        for (KeyState key : keys.liveKeysOnVolume(volumeRowId)) {
            if (onDevice.contains(key.protectorId())) {
                continue;
            }
            boolean rotationAsked = actions.complete(ActionKind.ROTATE, key.protectorId(), now);
            String reason = rotationAsked || key.status() == KeyStatus.DISCLOSED ? ROTATED : REMOVED_ON_DEVICE;
            if (keys.retire(key.id(), reason, now)) {
                audit.record(AuditEntry.success(actor, AuditAction.KEY_RETIRE, "key " + key.protectorId(),
                        reason + ": its protector is gone from volume " + volume.volumeId() + " of " + report.computer().name()
                                + " (was " + key.status().dbValue() + ")"));
            }
        }
    }

    private void askForWhatWasNeverEscrowed(CheckinReport report, CheckinReport.Volume volume, long volumeRowId, Actor actor,
            Instant now) {
        for (ProtectorId id : volume.recoveryPasswordIds()) {
            Optional<KeyState> stored = keys.stateOf(id);
            if (stored.isPresent()) {
                // Stored by another way than the device's escrow (say, `lockkeeper import`): nothing left to ask.
                actions.complete(ActionKind.ESCROW, id, now);
                continue;
            }
            if (actions.request(ActionKind.ESCROW, volumeRowId, id, actor.toString(), "reported at check-in, never escrowed",
                    null, now)) {
                audit.record(AuditEntry.success(actor, AuditAction.KEY_ESCROW_REQUESTED, "key " + id,
                        "volume " + volume.volumeId() + " of " + report.computer().name()
                                + " has this recovery password protector and it was never escrowed"));
            }
        }
    }
}
