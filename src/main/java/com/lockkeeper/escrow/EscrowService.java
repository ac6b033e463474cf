package com.lockkeeper.escrow;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.audit.AuditEntry;
import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.computers.ComputerRepository;
import com.lockkeeper.computers.NewKey;
import com.lockkeeper.computers.RecoveryKeyRepository;
import com.lockkeeper.computers.StoredKey;
import com.lockkeeper.keys.RecordBinding;
import com.lockkeeper.keys.RecordSealer;
import com.lockkeeper.keys.SealedRecord;
import com.lockkeeper.lifecycle.ActionKind;
import com.lockkeeper.lifecycle.DeviceActionRepository;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stores escrowed recovery passwords, sealed, and never overwrites key material: the same
 * escrow again changes nothing, a different password under a stored ID is refused.
 * Needs only the public half of the key hierarchy, so it works on a sealed node.
 */
public final class EscrowService {

    private final ComputerRepository computers;
    private final RecoveryKeyRepository keys;
    private final RecordSealer sealer;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final DeviceActionRepository actions;

    EscrowService(ComputerRepository computers, RecoveryKeyRepository keys, RecordSealer sealer, AuditLog audit,
            TransactionTemplate transactions, Clock clock, DeviceActionRepository actions) {
        this.actions = actions;
        this.computers = computers;
        this.keys = keys;
        this.sealer = sealer;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
    }

    public EscrowOutcome escrow(EscrowCommand command, Actor actor) {
        RecordBinding passwordBinding = RecordBinding.recoveryPassword(command.recoveryPasswordId(), command.volumeId());
        byte[] keyBytes = command.recoveryPassword().keyBytes();
        byte[] fingerprint;
        SealedRecord password;
        SealedRecord keyPackage;
        try {
            fingerprint = sealer.fingerprint(passwordBinding, keyBytes);
            password = sealer.seal(passwordBinding, keyBytes);
            keyPackage = command.keyPackage() == null ? null
                    : sealer.seal(RecordBinding.keyPackage(command.recoveryPasswordId(), command.volumeId()), command.keyPackage());
        } finally {
            Arrays.fill(keyBytes, (byte) 0);
        }
        return transactions.execute(tx -> {
            Optional<StoredKey> existing = keys.byProtectorId(command.recoveryPasswordId());
            if (existing.isPresent()) {
                return repeat(command, existing.get(), fingerprint, keyPackage, actor);
            }
            Instant now = clock.instant();
            long computerId = computers.upsertComputer(command.computer(), now);
            long volumeRowId = computers.upsertVolume(computerId, command.volumeId(), command.volumeType(), command.driveLabel(), now);
            computers.addUsers(computerId, command.users(), now);
            Instant createdAt = command.createdAt() == null ? now : command.createdAt();
            boolean inserted = keys.insertIfAbsent(new NewKey(command.recoveryPasswordId(), volumeRowId, createdAt, now,
                    password, keyPackage, fingerprint));
            if (!inserted) {
                // Another escrow of the same ID committed between our read and our insert.
                return repeat(command, keys.byProtectorId(command.recoveryPasswordId()).orElseThrow(), fingerprint, keyPackage, actor);
            }
            boolean asked = actions.complete(ActionKind.ESCROW, command.recoveryPasswordId(), now);
            audit.record(AuditEntry.success(actor, "escrow", target(command),
                    command.volumeType().apiName() + (keyPackage == null ? "" : ", with key package")
                            + (asked ? ", as asked at check-in" : "")));
            return EscrowOutcome.CREATED;
        });
    }

    private EscrowOutcome repeat(EscrowCommand command, StoredKey stored, byte[] fingerprint, SealedRecord keyPackage, Actor actor) {
        if (!stored.volumeId().equals(command.volumeId())) {
            audit.record(AuditEntry.refused(actor, "escrow", target(command),
                    "conflict: this recovery password ID is stored for volume " + stored.volumeId()));
            return EscrowOutcome.CONFLICT;
        }
        if (!MessageDigest.isEqual(stored.fingerprint(), fingerprint)) {
            audit.record(AuditEntry.refused(actor, "escrow", target(command),
                    "conflict: this recovery password ID is stored with a different recovery password"));
            return EscrowOutcome.CONFLICT;
        }
        if (keyPackage != null && stored.keyPackage() == null && keys.addKeyPackageIfMissing(stored.id(), keyPackage)) {
            audit.record(AuditEntry.success(actor, "escrow.key-package", target(command), "key package added"));
        }
        return EscrowOutcome.ALREADY_STORED;
    }

    private static String target(EscrowCommand command) {
        return "key " + command.recoveryPasswordId() + " volume " + command.volumeId() + " computer " + command.computer().name();
    }
}
