package com.lockkeeper.escrow;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.audit.AuditAction;
import com.lockkeeper.audit.AuditEntry;
import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.computers.ComputerRepository;
import com.lockkeeper.computers.RecoveryKeyRepository;
import com.lockkeeper.computers.StoredKey;
import com.lockkeeper.keys.RecordSealer;
import com.lockkeeper.lifecycle.ActionKind;
import com.lockkeeper.lifecycle.DeviceActionRepository;
import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.support.GroupCommit;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stores escrowed recovery passwords, sealed, and never overwrites key material: the same
 * escrow again changes nothing, a different password under a stored ID is refused.
 * Needs only the public half of the key hierarchy, so it works on a sealed node.
 *
 * <p>Requests are sealed on their own threads, then written by group commit: escrows that
 * arrive together are stored in one transaction with batched statements, and each request is
 * answered only after that transaction committed. Every escrow still gets its own audit record.
 */
public final class EscrowService {

    /** Enough to amortise a commit; small enough that a group's transaction stays short. */
    static final int MAX_GROUP = 128;

    private record Request(SealedEscrow escrow, Actor actor) {
    }

    private final EscrowStore store;
    private final RecoveryKeyRepository keys;
    private final RecordSealer sealer;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final DeviceActionRepository actions;
    private final GroupCommit<Request, EscrowOutcome> groups = new GroupCommit<>(this::writeGroup, MAX_GROUP);

    EscrowService(ComputerRepository computers, RecoveryKeyRepository keys, RecordSealer sealer, AuditLog audit,
            TransactionTemplate transactions, Clock clock, DeviceActionRepository actions) {
        this.store = new EscrowStore(computers, keys);
        this.keys = keys;
        this.sealer = sealer;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
        this.actions = actions;
    }

    public EscrowOutcome escrow(EscrowCommand command, Actor actor) {
        return groups.submit(new Request(SealedEscrow.seal(command, sealer), actor));
    }

    /** One transaction for the whole group; answers each request's outcome, in order. */
    private List<EscrowOutcome> writeGroup(List<Request> group) {
        return transactions.execute(tx -> {
            Instant now = clock.instant();
            Map<ProtectorId, StoredKey> stored = keys.byProtectorIds(group.stream().map(r -> r.escrow().id()).toList());
            EscrowOutcome[] outcomes = new EscrowOutcome[group.size()];
            Map<ProtectorId, Request> fresh = new LinkedHashMap<>();
            for (int i = 0; i < group.size(); i++) {
                Request request = group.get(i);
                StoredKey existing = stored.get(request.escrow().id());
                if (existing != null) {
                    outcomes[i] = repeat(request, existing);
                } else {
                    fresh.putIfAbsent(request.escrow().id(), request);
                }
            }
            EscrowStore.Stored written = store.insertNew(fresh.values().stream().map(Request::escrow).toList(), now);
            Set<ProtectorId> inserted = written.inserted();
            Set<String> associationsTold = new java.util.HashSet<>();
            Set<ProtectorId> asked = actions.completeAll(ActionKind.ESCROW, inserted, now);
            List<AuditEntry> created = new ArrayList<>();
            for (int i = 0; i < group.size(); i++) {
                Request request = group.get(i);
                ProtectorId id = request.escrow().id();
                if (outcomes[i] != null) {
                    continue;
                }
                if (fresh.get(id) == request && inserted.contains(id)) {
                    outcomes[i] = EscrowOutcome.CREATED;
                    String computer = request.escrow().command().computer().name();
                    List<String> associated = associationsTold.add(computer) ? written.associatedUsers().get(computer) : null;
                    created.add(AuditEntry.success(request.actor(), AuditAction.ESCROW, target(request.escrow().command()),
                            description(request.escrow(), asked.contains(id)) + associations(request.escrow(), associated)));
                } else {
                    // The same ID twice in this group, or another node stored it between our read and our insert.
                    outcomes[i] = repeat(request, keys.byProtectorId(id).orElseThrow());
                }
            }
            audit.recordAll(created);
            return List.of(outcomes);
        });
    }

    private EscrowOutcome repeat(Request request, StoredKey stored) {
        SealedEscrow escrow = request.escrow();
        EscrowCommand command = escrow.command();
        if (!stored.volumeId().equals(command.volumeId()) && !stored.sealedTo().equals(command.volumeId())) {
            audit.record(AuditEntry.refused(request.actor(), AuditAction.ESCROW, target(command),
                    "conflict: this recovery password ID is stored for volume " + stored.volumeId()));
            return EscrowOutcome.CONFLICT;
        }
        if (!escrow.sameKey(stored, sealer)) {
            audit.record(AuditEntry.refused(request.actor(), AuditAction.ESCROW, target(command),
                    "conflict: this recovery password ID is stored with a different recovery password"));
            return EscrowOutcome.CONFLICT;
        }
        if (escrow.keyPackage() != null && stored.keyPackage() == null && keys.addKeyPackageIfMissing(stored.id(), escrow.keyPackage())) {
            audit.record(AuditEntry.success(request.actor(), AuditAction.ESCROW_KEY_PACKAGE, target(command), "key package added"));
        }
        return EscrowOutcome.ALREADY_STORED;
    }

    /** Every change of a computer's associated users is in the audit log, and so is a report that changed nothing. */
    private static String associations(SealedEscrow escrow, List<String> associated) {
        if (associated != null && !associated.isEmpty()) {
            return "; associated users: " + String.join(", ", associated);
        }
        return escrow.command().users().isEmpty() ? ""
                : "; users reported but not associated (the computer has its associated users already)";
    }

    private static String description(SealedEscrow escrow, boolean asked) {
        return escrow.command().volumeType().apiName() + (escrow.keyPackage() == null ? "" : ", with key package")
                + (asked ? ", as asked at check-in" : "");
    }

    private static String target(EscrowCommand command) {
        return "key " + command.recoveryPasswordId() + " volume " + command.volumeId() + " computer " + command.computer().name();
    }
}
