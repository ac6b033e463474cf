package com.lockkeeper.escrow;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.audit.AuditEntry;
import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.computers.RecoveryKeyRepository;
import com.lockkeeper.computers.StoredKey;
import com.lockkeeper.keys.RecordBinding;
import com.lockkeeper.keys.RecordOpener;
import com.lockkeeper.keys.RecordSealer;
import com.lockkeeper.keys.SealedRecord;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * `datakey rotate --reencrypt`: every stored secret decrypted and sealed again under fresh
 * epoch keys, in batches, each batch committed with the job's progress so that a run that
 * stops resumes where it stopped. Rows stay readable throughout.
 */
public final class Reencryption {

    static final int BATCH = 500;

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

    Reencryption(RecoveryKeyRepository keys, ReencryptionJobs jobs, RecordOpener opener, RecordSealer sealer, AuditLog audit,
            TransactionTemplate transactions, Clock clock) {
        this.keys = keys;
        this.jobs = jobs;
        this.opener = opener;
        this.sealer = sealer;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
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
        long last = job.lastKeyRow();
        long done = job.rowsDone();
        long total = done + keys.countAfter(last);
        progress.update(done, total);
        while (true) {
            List<StoredKey> batch = keys.batchAfter(last, BATCH);
            if (batch.isEmpty()) {
                break;
            }
            List<SealedRecord[]> resealed = new ArrayList<>(batch.size());
            for (StoredKey key : batch) {
                resealed.add(new SealedRecord[] {reseal(RecordBinding.recoveryPassword(key.protectorId(), key.volumeId()), key.password()),
                        key.keyPackage() == null ? null
                                : reseal(RecordBinding.keyPackage(key.protectorId(), key.volumeId()), key.keyPackage())});
            }
            long batchLast = batch.get(batch.size() - 1).id();
            transactions.executeWithoutResult(tx -> {
                for (int i = 0; i < batch.size(); i++) {
                    keys.replaceSealed(batch.get(i), resealed.get(i)[0], resealed.get(i)[1]);
                }
                jobs.advance(batchLast, batch.size());
            });
            last = batchLast;
            done += batch.size();
            total = Math.max(total, done);
            progress.update(done, total);
        }
        long finalCount = done;
        transactions.executeWithoutResult(tx -> {
            jobs.finish(clock.instant());
            audit.record(AuditEntry.success(actor, "datakey.reencrypt", "recovery keys",
                    finalCount + " row(s) re-encrypted under fresh epoch keys" + (resumed ? " (resumed run)" : "")));
        });
        return new Result(finalCount, resumed);
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
