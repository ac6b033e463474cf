package com.lockkeeper.escrow;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.audit.AuditAction;
import com.lockkeeper.audit.AuditEntry;
import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.computers.RecoveryKeyRepository;
import com.lockkeeper.computers.SealedKey;
import com.lockkeeper.keys.RecordBinding;
import com.lockkeeper.keys.RecordOpener;
import com.lockkeeper.keys.RecordSealer;
import com.lockkeeper.keys.SealedRecord;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * `datakey rotate --reencrypt`: every stored secret decrypted and sealed again under fresh
 * epoch keys, in batches, each batch committed with the job's progress so that a run that
 * stops resumes where it stopped. Rows stay readable throughout.
 *
 * <p>Each batch is written with one JDBC batch statement. While one batch is written, a second
 * thread reads and re-seals the next one (the rows after it, which the write does not touch), so
 * the crypto and the reads overlap the writes on a second core.
 */
public final class Reencryption {

    /** Large enough that per-batch costs (commit, progress row, read query) vanish, small enough for a short transaction. */
    static final int BATCH = 2_000;

    /** A row changed by an escrow between its read and its write is read and re-sealed again, at most this often. */
    private static final int ATTEMPTS = 3;

    /** Told after each batch. */
    public interface Progress {
        void update(long done, long total);
    }

    /** What a run did; {@code resumed} when it continued an interrupted run. */
    public record Result(long rowsReencrypted, boolean resumed) {
    }

    private final RecoveryKeyRepository keys;
    private final ReencryptionJobs jobs;
    private final RecordOpener opener;
    private final RecordSealer sealer;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final int batchSize;

    Reencryption(RecoveryKeyRepository keys, ReencryptionJobs jobs, RecordOpener opener, RecordSealer sealer, AuditLog audit,
            TransactionTemplate transactions, Clock clock) {
        this(keys, jobs, opener, sealer, audit, transactions, clock, BATCH);
    }

    /** With another batch size, for tests that cross many batch boundaries with few rows. */
    Reencryption(RecoveryKeyRepository keys, ReencryptionJobs jobs, RecordOpener opener, RecordSealer sealer, AuditLog audit,
            TransactionTemplate transactions, Clock clock, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, not " + batchSize);
        }
        this.batchSize = batchSize;
        this.keys = keys;
        this.jobs = jobs;
        this.opener = opener;
        this.sealer = sealer;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** How far the re-encryption got: a run that is going on or was interrupted, or none (everything done). */
    public record Status(boolean unfinished, long rowsDone, long rowsTotal) {

        /** The fraction done, 1 when no run is unfinished. */
        public double fraction() {
            return !unfinished || rowsTotal == 0 ? 1.0 : Math.min(1.0, (double) rowsDone / rowsTotal);
        }
    }

    /** The current run's progress, as the database says (so the same on every node). Two queries. */
    public Status status() {
        return jobs.current().filter(ReencryptionJobs.Job::unfinished)
                .map(job -> new Status(true, job.rowsDone(),
                        job.rowsDone() + (job.lastKeyRow() == 0 ? keys.count() : keys.countAfter(job.lastKeyRow()))))
                .orElse(new Status(false, 0, 0));
    }

    /** True if an earlier run stopped before it finished; {@link #run} will continue it. */
    public boolean interruptedRunExists() {
        return jobs.current().map(ReencryptionJobs.Job::unfinished).orElse(false);
    }

    public Result run(Actor actor, Progress progress) {
        boolean resumed = interruptedRunExists();
        if (!resumed) {
            transactions.executeWithoutResult(tx -> jobs.start(clock.instant()));
        }
        ReencryptionJobs.Job job = jobs.current().orElseThrow();
        long done = job.rowsDone();
        long total = done + (job.lastKeyRow() == 0 ? keys.count() : keys.countAfter(job.lastKeyRow()));
        progress.update(done, total);
        ExecutorService ahead = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "reencryption-ahead");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Future<Batch> next = ahead.submit(() -> readAndReseal(job.lastKeyRow()));
            while (true) {
                Batch batch = await(next);
                if (batch.read().isEmpty()) {
                    break;
                }
                long batchLast = batch.lastRow();
                next = ahead.submit(() -> readAndReseal(batchLast));
                transactions.executeWithoutResult(tx -> {
                    write(batch);
                    jobs.advance(batchLast, batch.read().size());
                });
                done += batch.read().size();
                total = Math.max(total, done);
                progress.update(done, total);
            }
        } finally {
            stop(ahead);
        }
        long finalCount = done;
        transactions.executeWithoutResult(tx -> {
            jobs.finish(clock.instant());
            audit.record(AuditEntry.success(actor, AuditAction.DATAKEY_REENCRYPT, "recovery keys",
                    finalCount + " row(s) re-encrypted under fresh epoch keys" + (resumed ? " (resumed run)" : "")));
        });
        return new Result(finalCount, resumed);
    }

    /** Rows as read, and the same rows re-sealed (ciphertexts only: the secrets are zeroed once sealed). */
    private record Batch(List<SealedKey> read, List<SealedKey> resealed) {
        long lastRow() {
            return read.get(read.size() - 1).id();
        }
    }

    private Batch readAndReseal(long afterRow) {
        return reseal(keys.sealedAfter(afterRow, batchSize));
    }

    private Batch reseal(List<SealedKey> read) {
        List<SealedKey> resealed = new ArrayList<>(read.size());
        for (SealedKey key : read) {
            resealed.add(key.resealed(reseal(RecordBinding.recoveryPassword(key.protectorId(), key.volumeId()), key.password()),
                    key.keyPackage() == null ? null
                            : reseal(RecordBinding.keyPackage(key.protectorId(), key.volumeId()), key.keyPackage())));
        }
        return new Batch(read, resealed);
    }

    /** Writes a batch; a row that an escrow changed since it was read (a key package added) is read and re-sealed again. */
    private void write(Batch batch) {
        Batch attempt = batch;
        for (int tries = 1; !attempt.read().isEmpty(); tries++) {
            boolean[] replaced = keys.replaceSealed(attempt.read(), attempt.resealed());
            List<Long> changed = new ArrayList<>();
            for (int i = 0; i < replaced.length; i++) {
                if (!replaced[i]) {
                    changed.add(attempt.read().get(i).id());
                }
            }
            if (changed.isEmpty()) {
                return;
            }
            if (tries == ATTEMPTS) {
                throw new IllegalStateException("rows " + changed + " kept changing while they were re-encrypted;"
                        + " run `lockkeeper datakey rotate --reencrypt` again to resume");
            }
            attempt = reseal(keys.sealedByIds(changed));
        }
    }

    private static Batch await(Future<Batch> next) {
        try {
            return next.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException("re-sealing a batch failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while re-sealing a batch; run the command again to resume", e);
        }
    }

    /**
     * Nothing of a run goes on after it returns or fails: the batch being read ahead is finished and
     * dropped. Never interrupted: an interrupt that lands while the thread reads H2's file closes the
     * file channel under the whole database (every later query of the process failed with "Reading
     * from file ... failed (length -1)" in a test run that stopped between batches).
     */
    private static void stop(ExecutorService ahead) {
        ahead.shutdown();
        try {
            ahead.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private SealedRecord reseal(RecordBinding binding, SealedRecord sealed) {
        byte[] secret = opener.open(binding, sealed);
        try {
            return sealer.seal(binding, secret);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }
}
