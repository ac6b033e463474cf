package com.lockkeeper.retention;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.audit.AuditAction;
import com.lockkeeper.audit.AuditEntry;
import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.bitlocker.ComputerName;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The retention policy. An admin retires a computer that is gone (or, with
 * {@code lockkeeper.retention.auto-retire}, the server retires one silent for
 * {@code stale-after}; otherwise such a computer is only flagged stale). The keys of a retired
 * computer are purged {@code purge-after} its retirement (never when that is not set) unless it is
 * on legal hold. Purging deletes the key material and keeps the key's metadata, marked purged.
 *
 * <p>A check-in of a retired computer shows it is in use: it is retired no longer (audited), so
 * its keys are not purged; the purge also never deletes a key whose protector a check-in listed
 * after the retirement. Every change is audited, each purged key with its own record.
 */
public final class Retention {

    /** Why a key is purged, as its row and the audit record say. */
    static final String PURGE_REASON = "retention: computer retired";

    private final RetentionRepository repository;
    private final RetentionSettings settings;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final Clock clock;

    Retention(RetentionRepository repository, RetentionSettings settings, AuditLog audit, TransactionTemplate transactions,
            Clock clock) {
        this.repository = repository;
        this.settings = settings;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
    }

    public RetentionSettings settings() {
        return settings;
    }

    public ComputerRetention retire(String computer, String reason, Actor actor) {
        String why = reason(reason, "lockkeeper computer retire " + computer + " --reason TEXT");
        return transactions.execute(tx -> {
            ComputerRetention found = find(computer);
            if (found.retired()) {
                throw new RetentionException(found.name() + " was retired already on " + found.retiredAt()
                        + ": to use it again, run `lockkeeper computer unretire " + found.name() + "`");
            }
            Instant now = clock.instant();
            repository.retire(found.id(), actor.toString(), why, now);
            audit.record(AuditEntry.success(actor, AuditAction.COMPUTER_RETIRE, "computer " + found.name(), "reason: " + why + "; "
                    + settings.purge().map(p -> "its keys are purged after " + RetentionSettings.shown(p) + " unless on legal hold")
                            .orElse("its keys are kept (no purge period set)")));
            return repository.computer(found.id()).orElseThrow();
        });
    }

    public ComputerRetention unretire(String computer, Actor actor) {
        return transactions.execute(tx -> {
            ComputerRetention found = find(computer);
            if (!repository.unretire(found.id())) {
                throw new RetentionException(found.name() + " is not retired: nothing to undo");
            }
            audit.record(AuditEntry.success(actor, AuditAction.COMPUTER_UNRETIRE, "computer " + found.name(),
                    "was retired on " + found.retiredAt() + " (" + found.retiredReason() + "); its keys are kept"));
            return repository.computer(found.id()).orElseThrow();
        });
    }

    public ComputerRetention hold(String computer, String reason, Actor actor) {
        String why = reason(reason, "lockkeeper computer hold " + computer + " --reason TEXT");
        return transactions.execute(tx -> {
            ComputerRetention found = find(computer);
            if (!repository.hold(found.id(), actor.toString(), why, clock.instant())) {
                throw new RetentionException(found.name() + " is on legal hold already since " + found.holdAt() + " ("
                        + found.holdReason() + ")");
            }
            audit.record(AuditEntry.success(actor, AuditAction.COMPUTER_HOLD, "computer " + found.name(),
                    "reason: " + why + "; no key of it is purged until `lockkeeper computer release " + found.name() + "`"));
            return repository.computer(found.id()).orElseThrow();
        });
    }

    public ComputerRetention release(String computer, Actor actor) {
        return transactions.execute(tx -> {
            ComputerRetention found = find(computer);
            if (!repository.release(found.id())) {
                throw new RetentionException(found.name() + " is not on legal hold: nothing to release");
            }
            audit.record(AuditEntry.success(actor, AuditAction.COMPUTER_RELEASE, "computer " + found.name(),
                    "legal hold since " + found.holdAt() + " (" + found.holdReason() + ") released"));
            return repository.computer(found.id()).orElseThrow();
        });
    }

    /** Retired, held and stale computers, by name. */
    public List<ComputerRetention> tracked() {
        return repository.tracked();
    }

    /**
     * A computer checked in (within the check-in's transaction): it is no longer stale, and if it
     * was retired it is in use again: retired no longer, so none of its keys is purged.
     */
    public void checkedIn(long computerId, Actor actor) {
        repository.clearStale(computerId);
        repository.computer(computerId).filter(ComputerRetention::retired).ifPresent(computer -> {
            if (repository.unretire(computerId)) {
                audit.record(AuditEntry.success(actor, AuditAction.COMPUTER_UNRETIRE, "computer " + computer.name(),
                        "it checked in: in use again (was retired on " + computer.retiredAt() + ", " + computer.retiredReason()
                                + "); its keys are kept"));
            }
        });
    }

    /** Every key of a retired computer not purged yet, with when it will be purged (or why not), soonest first. */
    public List<PurgeSchedule> schedule() {
        Optional<Duration> period = settings.purge();
        List<PurgeSchedule> all = new ArrayList<>();
        for (RetainedKey key : repository.retainedKeys()) {
            String blocked = key.onHold() ? PurgeSchedule.LEGAL_HOLD
                    : key.reportedSinceRetirement() ? PurgeSchedule.REPORTED
                    : period.isEmpty() ? PurgeSchedule.NO_PURGE_PERIOD : null;
            all.add(new PurgeSchedule(key, blocked == null ? key.retiredAt().plus(period.orElseThrow()) : null, blocked));
        }
        all.sort(Comparator.comparing(PurgeSchedule::purgeAt, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(s -> s.key().computer()).thenComparing(s -> s.key().keyId()));
        return all;
    }

    /** Flags the computers silent for stale-after (and retires them, with auto-retire); answers their names. */
    public List<String> flagStale(Actor actor) {
        Instant now = clock.instant();
        List<String> flagged = new ArrayList<>();
        for (ComputerRetention computer : repository.silentBefore(now.minus(settings.staleAfter()))) {
            transactions.executeWithoutResult(tx -> {
                if (!repository.markStale(computer.id(), now)) {
                    return;
                }
                String silent = computer.lastCheckin() == null ? "never checked in (known since " + computer.createdAt() + ")"
                        : "last checked in " + computer.lastCheckin();
                audit.record(AuditEntry.success(actor, AuditAction.COMPUTER_STALE, "computer " + computer.name(),
                        silent + ", more than " + RetentionSettings.shown(settings.staleAfter()) + " ago"
                                + (settings.autoRetire() ? "; retired (lockkeeper.retention.auto-retire)" : "")));
                if (settings.autoRetire() && repository.retire(computer.id(), actor.toString(),
                        "not checked in for " + RetentionSettings.shown(settings.staleAfter()), now)) {
                    audit.record(AuditEntry.success(actor, AuditAction.COMPUTER_RETIRE, "computer " + computer.name(),
                            "reason: not checked in for " + RetentionSettings.shown(settings.staleAfter()) + " (lockkeeper.retention.auto-retire)"));
                }
                flagged.add(computer.name());
            });
        }
        return flagged;
    }

    /** Purges every key that is due now, each in its own transaction with its audit record; answers how many. */
    public int purgeDue(Actor actor) {
        Optional<Duration> period = settings.purge();
        if (period.isEmpty()) {
            return 0;
        }
        Instant now = clock.instant();
        int purged = 0;
        for (PurgeSchedule due : schedule()) {
            if (!due.dueBy(now)) {
                continue;
            }
            RetainedKey key = due.key();
            Boolean done = transactions.execute(tx -> repository.purge(key.keyId(), now.minus(period.get()), PURGE_REASON, now)
                    .map(superseded -> {
                        audit.record(AuditEntry.success(actor, AuditAction.KEY_PURGE, "key " + key.protectorId(), "computer: "
                                + key.computer() + "; volume: " + (key.driveLabel() == null ? key.volumeType() : key.driveLabel())
                                + "; why: computer retired on " + key.retiredAt() + " (" + key.retiredReason() + "), purge-after "
                                + RetentionSettings.shown(period.get()) + "; deleted: recovery password, key package, device verifier, " + superseded
                                + " superseded cop" + (superseded == 1 ? "y" : "ies") + "; kept: the key's metadata"));
                        return true;
                    }).orElse(false));
            purged += Boolean.TRUE.equals(done) ? 1 : 0;
        }
        return purged;
    }

    private ComputerRetention find(String computer) {
        String name;
        try {
            name = ComputerName.parse(computer).name();
        } catch (RuntimeException e) {
            throw new RetentionException("not a computer name: " + e.getMessage());
        }
        return repository.computer(name).orElseThrow(() -> new RetentionException("no computer is named " + name
                + ": check the name (the reports list every computer), or search for it on the helpdesk page"));
    }

    private static String reason(String reason, String command) {
        String text = reason == null ? "" : reason.strip().replaceAll("\\p{Cntrl}", " ");
        if (text.isEmpty()) {
            throw new RetentionException("a reason is needed: " + command);
        }
        if (text.length() > 255) {
            throw new RetentionException("the reason has at most 255 characters; this one has " + text.length());
        }
        return text;
    }
}
