package com.lockkeeper.escrow;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.audit.AuditAction;
import com.lockkeeper.audit.AuditEntry;
import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.computers.ComputerRepository;
import com.lockkeeper.computers.NewKey;
import com.lockkeeper.computers.RecoveryKeyRepository;
import com.lockkeeper.computers.StoredKey;
import com.lockkeeper.computers.UserSource;
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
import java.util.UUID;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stores escrowed recovery passwords, sealed, and never deletes key material: the same escrow
 * again changes nothing, a different password under a stored ID is refused. The one exception:
 * when the device's check-in showed that the stored password differs from its own, its escrow
 * of exactly the password it reported (same fingerprint as its verifier) replaces the stored
 * one, which is kept in {@code superseded_key}; audited as a replacement.
 * Needs only the public half of the key hierarchy, so it works on a sealed node.
 *
 * <p>Requests are sealed on their own threads, then written by group commit: escrows that
 * arrive together are stored in one transaction with batched statements, and each request is
 * answered only after that transaction committed. Every escrow still gets its own audit record.
 */
public final class EscrowService {

    /** Enough to amortise a commit; small enough that a group's transaction stays short. */
    static final int MAX_GROUP = 128;

    private record Request(SealedEscrow escrow, EscrowOrigin origin) {

        Actor actor() {
            return origin.actor();
        }

        EscrowStore.Entry entry() {
            UserSource users = switch (origin.trust()) {
                case APPROVED_DEVICE -> UserSource.DEVICE;
                case ENROLLMENT_TOKEN -> UserSource.ENROLLMENT_TOKEN;
                case UNAPPROVED -> null;
            };
            return new EscrowStore.Entry(escrow, origin.deviceId(), origin.unapproved(), users);
        }
    }

    private final EscrowStore store;
    private final ComputerRepository computers;
    private final RecoveryKeyRepository keys;
    private final RecordSealer sealer;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final DeviceActionRepository actions;
    private final EscrowMetrics metrics;
    private final GroupCommit<Request, EscrowOutcome> groups = new GroupCommit<>(this::writeGroup, MAX_GROUP);

    EscrowService(ComputerRepository computers, RecoveryKeyRepository keys, RecordSealer sealer, AuditLog audit,
            TransactionTemplate transactions, Clock clock, DeviceActionRepository actions, EscrowMetrics metrics) {
        this.metrics = metrics;
        this.store = new EscrowStore(computers, keys);
        this.computers = computers;
        this.keys = keys;
        this.sealer = sealer;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
        this.actions = actions;
    }

    /** An escrow by the rules of an enrollment token acting as the computer's device. */
    public EscrowOutcome escrow(EscrowCommand command, Actor actor) {
        return escrow(command, EscrowOrigin.enrollmentToken(actor));
    }

    /**
     * Stores the escrow. A volume the server holds for another computer is refused
     * ({@link EscrowOutcome#VOLUME_OF_ANOTHER_COMPUTER}) and changes nothing, whoever sends it.
     */
    public EscrowOutcome escrow(EscrowCommand command, EscrowOrigin origin) {
        EscrowOutcome outcome = groups.submit(new Request(SealedEscrow.seal(command, sealer), origin));
        metrics.escrowed(outcome); // after the commit: an escrow that failed is not counted
        return outcome;
    }

    /** One transaction for the whole group; answers each request's outcome, in order. */
    private List<EscrowOutcome> writeGroup(List<Request> group) {
        return transactions.execute(tx -> {
            Instant now = clock.instant();
            Map<ProtectorId, StoredKey> stored = keys.byProtectorIds(group.stream().map(r -> r.escrow().id()).toList());
            Map<UUID, String> owners = computers.volumeOwners(group.stream().map(r -> r.escrow().command().volumeId().uuid()).toList());
            EscrowOutcome[] outcomes = new EscrowOutcome[group.size()];
            Map<ProtectorId, Request> fresh = new LinkedHashMap<>();
            for (int i = 0; i < group.size(); i++) {
                Request request = group.get(i);
                StoredKey existing = stored.get(request.escrow().id());
                EscrowCommand command = request.escrow().command();
                String owner = owners.get(command.volumeId().uuid());
                if (owner != null && !owner.equals(command.computer().name())) {
                    audit.record(AuditEntry.refused(request.actor(), AuditAction.ESCROW, target(command),
                            "refused: the volume belongs to another computer; nothing was changed"));
                    outcomes[i] = EscrowOutcome.VOLUME_OF_ANOTHER_COMPUTER;
                } else if (existing != null) {
                    outcomes[i] = repeat(request, existing);
                } else {
                    fresh.putIfAbsent(request.escrow().id(), request);
                }
            }
            EscrowStore.Stored written = store.insertNew(fresh.values().stream().map(Request::entry).toList(), now, false);
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
                            description(request, asked.contains(id)) + associations(request, associated)));
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
            if (!request.origin().unapproved() && escrow.sameKey(stored.volumeId(), stored.deviceVerifier())) {
                return replace(request, stored);
            }
            audit.record(AuditEntry.refused(request.actor(), AuditAction.ESCROW, target(command),
                    "conflict: this recovery password ID is stored with a different recovery password"));
            return EscrowOutcome.CONFLICT;
        }
        if (escrow.keyPackage() != null && stored.keyPackage() == null && !request.origin().unapproved()
                && keys.addKeyPackageIfMissing(stored.id(), escrow.keyPackage())) {
            audit.record(AuditEntry.success(request.actor(), AuditAction.ESCROW_KEY_PACKAGE, target(command), "key package added"));
        }
        return EscrowOutcome.ALREADY_STORED;
    }

    /**
     * The device escrowed the password its check-in reported for this protector: it replaces the
     * stored one (kept, sealed as it was). If another escrow replaced it first, this one is
     * compared with the row as it is now.
     */
    private EscrowOutcome replace(Request request, StoredKey stored) {
        SealedEscrow escrow = request.escrow();
        EscrowCommand command = escrow.command();
        Instant now = clock.instant();
        NewKey copy = new NewKey(escrow.id(), 0, command.createdAt() == null ? stored.createdAt() : command.createdAt(), now,
                escrow.password(), escrow.keyPackage(), escrow.fingerprint(), request.origin().deviceId(), false);
        if (!keys.replaceWithDeviceCopy(stored.id(), copy, request.actor().toString(), now)) {
            StoredKey current = keys.byProtectorId(escrow.id()).orElseThrow();
            return escrow.sameKey(current.volumeId(), current.fingerprint()) ? EscrowOutcome.ALREADY_STORED
                    : repeat(request, current);
        }
        actions.complete(ActionKind.ESCROW, escrow.id(), now);
        audit.record(AuditEntry.success(request.actor(), AuditAction.KEY_REPLACE, target(command),
                "the escrowed password differed from the device; replaced by the device's escrow of the password its check-in"
                        + " reported (the stored copy is kept)" + (escrow.keyPackage() == null ? "" : ", with key package")));
        return EscrowOutcome.REPLACED;
    }

    /** Every change of a computer's associated users is in the audit log, and so is a report that changed nothing. */
    private static String associations(Request request, List<String> associated) {
        if (associated != null && !associated.isEmpty()) {
            return "; associated users: " + String.join(", ", associated);
        }
        if (request.escrow().command().users().isEmpty()) {
            return "";
        }
        return request.origin().unapproved() ? "; users reported but not associated (from a device not approved for this computer)"
                : "; users reported but not associated (the computer has its associated users already)";
    }

    private static String description(Request request, boolean asked) {
        SealedEscrow escrow = request.escrow();
        return escrow.command().volumeType().apiName() + (escrow.keyPackage() == null ? "" : ", with key package")
                + (asked ? ", as asked at check-in" : "")
                + (request.origin().unapproved() ? ", from a device not approved for this computer (key marked)" : "");
    }

    private static String target(EscrowCommand command) {
        return "key " + command.recoveryPasswordId() + " volume " + command.volumeId() + " computer " + command.computer().name();
    }
}
