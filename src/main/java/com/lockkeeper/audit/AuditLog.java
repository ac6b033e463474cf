package com.lockkeeper.audit;

import com.lockkeeper.support.DbTime;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Appends audit records inside the caller's transaction, so an action and its record commit
 * or roll back together. Records are hash-chained per lane; a process writes to several
 * lanes so that concurrent transactions do not wait on one chain head. A lane is held from
 * the record's insert until its transaction ends, which is why the audit record should be the
 * last write of a transaction.
 */
public final class AuditLog {

    private static final long LANE_WAIT_SECONDS = 30;

    private static final class Lane {
        final String name;
        final ReentrantLock lock = new ReentrantLock();
        boolean known;
        long seq;
        byte[] hash;

        Lane(String name) {
            this.name = name;
        }
    }

    private final AuditRepository repository;
    private final AuditKeys keys;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final Lane[] lanes;
    private final AtomicInteger nextLane = new AtomicInteger();
    private final java.util.function.Supplier<List<AuditObserver>> observerSource;
    private volatile List<AuditObserver> observers;
    private final List<Runnable> committedListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * @param laneName a name unique to this writer process, such as {@code node/server}
     * @param laneCount how many chains this process writes in parallel
     */
    AuditLog(AuditRepository repository, AuditKeys keys, TransactionTemplate transactions, Clock clock, String laneName,
            int laneCount) {
        this(repository, keys, transactions, clock, laneName, laneCount, List::of);
    }

    /** @param observers told of each record in its transaction; looked up at the first record */
    AuditLog(AuditRepository repository, AuditKeys keys, TransactionTemplate transactions, Clock clock, String laneName,
            int laneCount, java.util.function.Supplier<List<AuditObserver>> observers) {
        this.observerSource = observers;
        this.repository = repository;
        this.keys = keys;
        this.transactions = transactions;
        this.clock = clock;
        this.lanes = new Lane[laneCount];
        for (int i = 0; i < laneCount; i++) {
            lanes[i] = new Lane(laneCount == 1 ? laneName : laneName + "/" + i);
        }
    }

    /** Appends the entry to the current transaction, or in a transaction of its own if there is none. */
    public void record(AuditEntry entry) {
        recordAll(List.of(entry));
    }

    /** Appends the entries, in order, in one batch: to the current transaction, or in one of their own. */
    public void recordAll(List<AuditEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            transactions.executeWithoutResult(status -> recordAll(entries));
            return;
        }
        Lane lane = laneOfThisTransaction();
        if (!lane.known) {
            AuditRepository.Head head = repository.head(lane.name).orElse(new AuditRepository.Head(0, AuditChain.GENESIS));
            lane.seq = head.seq();
            lane.hash = head.hash();
            lane.known = true;
        }
        Instant at = DbTime.truncate(clock.instant());
        AuditKeys.AuditSigner signer = keys.signer().orElse(null);
        String keyId = signer == null ? null : signer.keyId();
        List<AuditRecord> records = new ArrayList<>(entries.size());
        long seq = lane.seq;
        byte[] prev = lane.hash;
        for (AuditEntry entry : entries) {
            seq++;
            String outcome = entry.outcome().label();
            String actor = entry.actor().toString();
            byte[] hash = signer == null
                    ? AuditChain.hash(lane.name, seq, at, actor, entry.action(), entry.target(), outcome, entry.detail(), prev)
                    : AuditChain.keyed(signer, lane.name, seq, at, actor, entry.action(), entry.target(), outcome, entry.detail(), prev);
            records.add(new AuditRecord(lane.name, seq, at, actor, entry.action(), entry.target(), outcome, entry.detail(), prev, hash,
                    keyId));
            prev = hash;
        }
        if (records.size() == 1) {
            repository.insert(records.get(0));
        } else {
            repository.insertAll(records);
        }
        lane.seq = seq;
        lane.hash = prev;
        List<AuditObserver> told = observers;
        if (told == null) {
            told = List.copyOf(observerSource.get());
            observers = told;
        }
        for (AuditObserver observer : told) {
            for (AuditEntry entry : entries) {
                observer.recorded(entry, at);
            }
        }
    }

    /**
     * The newest committed record of each lane this process wrote, for anchoring outside the
     * database. Each lane is read while no transaction holds it, so its head is committed.
     */
    java.util.Map<String, AuditVerification.Head> ownHeads() {
        java.util.Map<String, AuditVerification.Head> heads = new java.util.TreeMap<>();
        for (Lane lane : lanes) {
            lane.lock.lock();
            try {
                if (lane.known && lane.seq > 0) {
                    heads.put(lane.name, new AuditVerification.Head(lane.seq, lane.hash));
                }
            } finally {
                lane.lock.unlock();
            }
        }
        return heads;
    }

    /**
     * Runs {@code listener} after each transaction that wrote audit records has committed (on the
     * committing thread, so it must be quick and must not throw): audit streaming ships at once
     * instead of at its next poll.
     */
    public void onCommit(Runnable listener) {
        committedListeners.add(listener);
    }

    private void committed() {
        for (Runnable listener : committedListeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                // a listener never fails the writer: its records are committed
            }
        }
    }

    /** How many records of this actor, action and outcome were written after {@code since}: rate limits count these. */
    public long count(Actor actor, AuditAction action, Outcome outcome, Instant since) {
        return repository.count(actor.toString(), action.stored(), outcome.label(), since);
    }

    /**
     * The lane this transaction holds, found among the transaction's synchronizations: a
     * transaction started inside it (REQUIRES_NEW) has synchronizations of its own, so it takes
     * another lane instead of writing into one whose fate is tied to the outer transaction.
     */
    private Lane laneOfThisTransaction() {
        for (TransactionSynchronization synchronization : TransactionSynchronizationManager.getSynchronizations()) {
            if (synchronization instanceof LaneRelease release && release.owner() == this) {
                return release.lane();
            }
        }
        Lane lane = acquireLane();
        TransactionSynchronizationManager.registerSynchronization(new LaneRelease(this, lane));
        return lane;
    }

    /** Releases a lane when the transaction that holds it ends. */
    private record LaneRelease(AuditLog owner, Lane lane) implements TransactionSynchronization {

        @Override
        public void afterCompletion(int status) {
            if (status != STATUS_COMMITTED) {
                lane.known = false; // the head we advanced to was rolled back (or its fate is unknown)
            }
            lane.lock.unlock();
            if (status == STATUS_COMMITTED) {
                owner.committed();
            }
        }
    }

    private Lane acquireLane() {
        int start = Math.floorMod(nextLane.getAndIncrement(), lanes.length);
        for (int i = 0; i < lanes.length; i++) {
            Lane lane = lanes[(start + i) % lanes.length];
            // A thread in a nested transaction must not re-enter the lane its outer transaction holds.
            if (!lane.lock.isHeldByCurrentThread() && lane.lock.tryLock()) {
                return lane;
            }
        }
        Lane lane = lanes[start];
        if (lane.lock.isHeldByCurrentThread()) {
            throw new IllegalStateException("every audit lane of this process is held by this thread's outer transaction");
        }
        try {
            if (lane.lock.tryLock(LANE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                return lane;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("no audit lane became free within " + LANE_WAIT_SECONDS + " s");
    }
}
