package com.lockkeeper.lifecycle;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.audit.AuditAction;
import com.lockkeeper.audit.AuditEntry;
import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.bitlocker.ComputerName;
import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.computers.ComputerRepository;
import com.lockkeeper.computers.KeyState;
import com.lockkeeper.computers.KeyStatus;
import com.lockkeeper.computers.RecoveryKeyRepository;
import com.lockkeeper.http.FieldError;
import com.lockkeeper.http.InvalidRequestException;
import com.lockkeeper.support.InvalidValueException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Admin requests to rotate recovery keys: one key, a computer's keys, or every key after an
 * incident. Each key not retired gets a pending rotate action (a key that has one already is
 * counted, not asked twice); devices carry them out at their next check-ins, and the request's
 * progress is the count of its actions by state. Every request is audited.
 */
public final class Rotations {

    static final int MAX_REASON = 255;
    private static final int BATCH = 500;

    private final RecoveryKeyRepository keys;
    private final ComputerRepository computers;
    private final DeviceActionRepository actions;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final Clock clock;

    Rotations(RecoveryKeyRepository keys, ComputerRepository computers, DeviceActionRepository actions, AuditLog audit,
            TransactionTemplate transactions, Clock clock) {
        this.keys = keys;
        this.computers = computers;
        this.actions = actions;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * Requests the rotation; {@code target} is the recovery password ID (scope key) or the
     * computer's name (scope computer), unused for all. Bad input names its field:
     * {@code key}, {@code computer} or {@code reason}.
     */
    public RotationProgress request(RotationScope scope, String target, String reason, Actor actor) {
        String why = reason(reason);
        return transactions.execute(tx -> {
            Instant now = clock.instant();
            String shownTarget;
            List<KeyState> first;
            switch (scope) {
                case KEY -> {
                    KeyState key = key(target);
                    shownTarget = key.protectorId().toString();
                    first = List.of(key);
                }
                case COMPUTER -> {
                    ComputerName name = computerName(target);
                    long computerId = computers.computerId(name.name()).orElseThrow(() -> invalid("computer",
                            "no computer is named " + name.name() + ": check the name, or search for it on the helpdesk page"));
                    first = keys.liveKeysOfComputer(computerId);
                    if (first.isEmpty()) {
                        throw invalid("computer", name.name() + " has no key that is not retired: there is nothing to rotate");
                    }
                    shownTarget = name.name();
                }
                default -> {
                    shownTarget = null;
                    first = keys.liveKeysAfter(0, BATCH);
                }
            }
            String by = actor.toString();
            long requestId = actions.createRequest(scope.dbValue(), shownTarget, why, by, now);
            int total = 0;
            int created = 0;
            List<KeyState> batch = first;
            while (!batch.isEmpty()) {
                total += batch.size();
                created += actions.requestRotations(batch, by, "requested: " + why, requestId, now);
                batch = scope == RotationScope.ALL && batch.size() == BATCH
                        ? keys.liveKeysAfter(batch.get(batch.size() - 1).id(), BATCH) : List.of();
            }
            actions.countRequest(requestId, created, total - created);
            audit.record(AuditEntry.success(actor, AuditAction.ROTATION_REQUEST, scope == RotationScope.ALL ? "all keys"
                            : scope.dbValue() + " " + shownTarget,
                    "request " + requestId + "; reason: " + why + "; " + created + " key(s) to rotate, " + (total - created)
                            + " had a rotation pending already"));
            return actions.progress(requestId).orElseThrow();
        });
    }

    public List<RotationProgress> latest(int limit) {
        return actions.latestRequests(limit);
    }

    public Optional<RotationProgress> progress(long requestId) {
        return actions.progress(requestId);
    }

    private KeyState key(String target) {
        ProtectorId id;
        try {
            id = ProtectorId.parse(target == null ? "" : target.strip());
        } catch (InvalidValueException e) {
            throw invalid("key", "must be a whole recovery password ID, like {4D3C2B1A-8F7E-4A6B-9C0D-112233445566}");
        }
        KeyState key = keys.stateOf(id).orElseThrow(() -> invalid("key", "no recovery key has the ID " + id
                + ": check the ID, or rotate the computer's keys with its name"));
        if (key.status() == KeyStatus.RETIRED) {
            throw invalid("key", "recovery key " + id + " is retired already: it is no longer on the device");
        }
        return key;
    }

    private static ComputerName computerName(String target) {
        try {
            return ComputerName.parse(target == null ? "" : target.strip());
        } catch (InvalidValueException e) {
            throw invalid("computer", e.reason());
        }
    }

    private static String reason(String reason) {
        String why = reason == null ? "" : reason.strip().replaceAll("\\p{Cntrl}", " ");
        if (why.isEmpty()) {
            throw invalid("reason", "is required: say why (an incident number, a lost printout...); it goes into the audit log");
        }
        if (why.length() > MAX_REASON - 11) {
            throw invalid("reason", "is longer than " + (MAX_REASON - 11) + " characters");
        }
        return why;
    }

    private static InvalidRequestException invalid(String field, String reason) {
        return new InvalidRequestException(FieldError.of(field, reason));
    }
}
