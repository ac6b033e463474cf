package com.lockkeeper.support;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Group commit: callers that arrive while a batch is being written wait, and the first of them
 * to find the writer free writes everything that queued up in one batch (one transaction, one
 * commit) for all of them — no extra thread, no timer, no added latency when only one caller
 * is there. Under load the batches grow by themselves, so the per-commit cost (statement
 * round trips, the WAL flush on PostgreSQL) is shared by many callers.
 *
 * <p>Each caller returns only when the batch holding its item has been written (committed) or
 * has failed. A batch that fails is written again item by item, so one bad item, or a
 * transaction that lost a race with another node, fails only its own caller.
 *
 * @param <I> what a caller submits
 * @param <O> what the writer answers for each item
 */
public final class GroupCommit<I, O> {

    /** Writes one batch, all or nothing; answers one result per item, in order. */
    @FunctionalInterface
    public interface BatchWriter<I, O> {
        List<O> write(List<I> batch);
    }

    private static final class Slot<I, O> {
        final I item;
        O result;
        RuntimeException failure;
        boolean done;

        Slot(I item) {
            this.item = item;
        }
    }

    private final BatchWriter<I, O> writer;
    private final int maxBatch;
    private final ArrayDeque<Slot<I, O>> queue = new ArrayDeque<>();
    private boolean writing;

    public GroupCommit(BatchWriter<I, O> writer, int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1");
        }
        this.writer = writer;
        this.maxBatch = maxBatch;
    }

    /** Writes the item (with whatever else is waiting) and answers its result once committed. */
    public O submit(I item) {
        Slot<I, O> mine = new Slot<>(item);
        boolean interrupted = false;
        try {
            synchronized (this) {
                queue.add(mine);
            }
            while (true) {
                List<Slot<I, O>> batch;
                synchronized (this) {
                    while (writing && !mine.done) {
                        try {
                            wait();
                        } catch (InterruptedException e) {
                            // The item is queued and may be in a batch already: its caller must learn the outcome.
                            interrupted = true;
                        }
                    }
                    if (mine.done) {
                        return outcome(mine);
                    }
                    writing = true;
                    batch = drain();
                }
                try {
                    write(batch);
                } finally {
                    synchronized (this) {
                        writing = false;
                        notifyAll();
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** How many items wait for the next batch (for monitoring and tests). */
    public synchronized int queued() {
        return queue.size();
    }

    private List<Slot<I, O>> drain() {
        List<Slot<I, O>> batch = new ArrayList<>(Math.min(queue.size(), maxBatch));
        while (!queue.isEmpty() && batch.size() < maxBatch) {
            batch.add(queue.poll());
        }
        return batch;
    }

    /** Runs outside the lock; the results are published by the lock release that follows. */
    private void write(List<Slot<I, O>> batch) {
        try {
            complete(batch, writer.write(batch.stream().map(slot -> slot.item).toList()));
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                fail(batch.get(0), e);
                return;
            }
            for (Slot<I, O> slot : batch) {
                try {
                    complete(List.of(slot), writer.write(List.of(slot.item)));
                } catch (RuntimeException alone) {
                    fail(slot, alone);
                }
            }
        } finally {
            for (Slot<I, O> slot : batch) {
                if (!slot.done) {
                    fail(slot, new IllegalStateException("the batch writer stopped before answering"));
                }
            }
        }
    }

    private static <I, O> void complete(List<Slot<I, O>> slots, List<O> results) {
        if (results.size() != slots.size()) {
            throw new IllegalStateException("the batch writer answered " + results.size() + " results for " + slots.size() + " items");
        }
        for (int i = 0; i < slots.size(); i++) {
            slots.get(i).result = results.get(i);
            slots.get(i).done = true;
        }
    }

    private static <I, O> void fail(Slot<I, O> slot, RuntimeException failure) {
        slot.failure = failure;
        slot.done = true;
    }

    private static <I, O> O outcome(Slot<I, O> slot) {
        if (slot.failure != null) {
            throw slot.failure;
        }
        return slot.result;
    }
}
