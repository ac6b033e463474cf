package com.lockkeeper.lifecycle;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.audit.AuditAction;
import com.lockkeeper.audit.AuditEntry;
import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.computers.ComputerRepository;
import com.lockkeeper.computers.ComputerRepository.VolumeReport;
import com.lockkeeper.computers.KeyFingerprint;
import com.lockkeeper.computers.KeyState;
import com.lockkeeper.computers.KeyStatus;
import com.lockkeeper.computers.KeysAwaitingVolume;
import com.lockkeeper.computers.RecoveryKeyRepository;
import com.lockkeeper.retention.Retention;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A device's check-in: records what it reports, compares its recovery password protectors with
 * the keys held for each volume, and answers the actions pending for it. A key leaves the
 * server's books only when the device shows its protector gone: a disclosed key whose protector
 * is gone was rotated, an active one was removed on the device; a protector the server never
 * received is asked for. Volumes the device does not report (a removable drive not plugged in)
 * are left alone.
 *
 * <p>A device may prove that each escrowed password is the one it has: a verifier per protector,
 * the key's fingerprint computed from the device's own password, compared with the stored one in
 * constant time and without decrypting (so on a sealed node too). A match is recorded as the
 * key's verification time; a mismatch flags the key (the escrowed password differs from the
 * device, audited) and asks the device to escrow that protector again, which then replaces the
 * stored copy.
 *
 * <p>A computer that checks in is not stale, and if it was retired it is in use again: the check-in
 * un-retires it (audited), so none of its keys is purged.
 */
public final class CheckinService {

    public static final String ROTATED = "rotated";
    public static final String REMOVED_ON_DEVICE = "removed on device";
    /** The drift a mismatching verifier shows, as the action's reason, the audit and the reports say it. */
    public static final String DIFFERS = "escrowed password differs from the device";

    private static final Logger log = LoggerFactory.getLogger(CheckinService.class);

    private final ComputerRepository computers;
    private final RecoveryKeyRepository keys;
    private final DeviceActionRepository actions;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final KeysAwaitingVolume awaitingVolume;
    private final Retention retention;

    CheckinService(ComputerRepository computers, RecoveryKeyRepository keys, DeviceActionRepository actions, AuditLog audit,
            TransactionTemplate transactions, Clock clock, KeysAwaitingVolume awaitingVolume, Retention retention) {
        this.retention = retention;
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
            retention.checkedIn(computerId, actor); // a retired computer that checks in is in use: retired no longer
            for (CheckinReport.Volume volume : report.volumes()) {
                long volumeRowId = computers.upsertVolume(computerId, volume.volumeId(), volume.volumeType(), volume.driveLabel(), now);
                awaitingVolume.attachReported(volumeRowId, volume.volumeId(), volume.recoveryPasswordIds(), actor, now);
                computers.recordVolumeReport(volumeRowId, new VolumeReport(volume.protectionStatus(), volume.encryptionMethod(),
                        volume.keyProtectors(), volume.recoveryPasswordIds().stream().map(ProtectorId::hex).toList()), now);
                retireWhatIsGone(report, volume, volumeRowId, actor, now);
                Map<ProtectorId, KeyFingerprint> stored = keys.fingerprints(volume.recoveryPasswordIds());
                askForWhatWasNeverEscrowed(report, volume, volumeRowId, stored, actor, now);
                compareVerifiers(report, volume, volumeRowId, stored, actor, now);
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
            actions.complete(ActionKind.ESCROW, key.protectorId(), now); // an escrow asked of a protector now gone
            String reason = rotationAsked || key.status() == KeyStatus.DISCLOSED ? ROTATED : REMOVED_ON_DEVICE;
            if (keys.retire(key.id(), reason, now)) {
                audit.record(AuditEntry.success(actor, AuditAction.KEY_RETIRE, "key " + key.protectorId(),
                        reason + ": its protector is gone from volume " + volume.volumeId() + " of " + report.computer().name()
                                + " (was " + key.status().dbValue() + ")"));
            }
        }
    }

    private void askForWhatWasNeverEscrowed(CheckinReport report, CheckinReport.Volume volume, long volumeRowId,
            Map<ProtectorId, KeyFingerprint> stored, Actor actor, Instant now) {
        for (ProtectorId id : volume.recoveryPasswordIds()) {
            KeyFingerprint key = stored.get(id);
            if (key != null) {
                // Stored by another way than the device's escrow (say, `lockkeeper import`): nothing left to ask,
                // unless the stored password differs from the device's (that escrow is asked below, and stays asked).
                if (!key.differs()) {
                    actions.complete(ActionKind.ESCROW, id, now);
                }
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

    /**
     * Each verifier against its key's stored fingerprint. Only keys of this volume that are not
     * retired are compared: the fingerprint is bound to the volume, so a protector stored for
     * another volume cannot match, and says nothing about this one.
     */
    private void compareVerifiers(CheckinReport report, CheckinReport.Volume volume, long volumeRowId,
            Map<ProtectorId, KeyFingerprint> stored, Actor actor, Instant now) {
        List<Long> verified = new ArrayList<>();
        volume.verifiers().forEach((id, verifier) -> {
            KeyFingerprint key = stored.get(id);
            if (key == null || key.status() == KeyStatus.RETIRED || key.volumeRowId() != volumeRowId) {
                if (key != null) {
                    log.debug("Verifier of {} on volume {} of {} not compared: the key is {}", id, volume.volumeId(),
                            report.computer().name(), key.volumeRowId() != volumeRowId ? "stored for another volume" : "retired");
                }
                return;
            }
            if (verifier.matches(key.fingerprint())) {
                verified.add(key.id());
                if (key.differs()) {
                    actions.complete(ActionKind.ESCROW, id, now);
                    audit.record(AuditEntry.success(actor, AuditAction.KEY_DIFFERS, "key " + id, "resolved: volume "
                            + volume.volumeId() + " of " + report.computer().name()
                            + " holds the escrowed password again; the escrow asked is no longer needed"));
                }
            } else if (keys.markDiffers(key.id(), verifier.bytes(), now)) {
                actions.requestTelling(ActionKind.ESCROW, volumeRowId, id, actor.toString(), DIFFERS, PendingAction.DIFFERS, now);
                audit.record(AuditEntry.success(actor, AuditAction.KEY_DIFFERS, "key " + id, DIFFERS + ": volume "
                        + volume.volumeId() + " of " + report.computer().name() + " reported a verifier that does not match"
                        + " the escrowed password; the device is asked to escrow this protector again, which will replace it"
                        + " (the stored copy is kept)"));
            }
        });
        keys.markVerified(verified, now);
    }
}
