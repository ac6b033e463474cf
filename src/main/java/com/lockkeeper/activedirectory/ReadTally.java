package com.lockkeeper.activedirectory;

import com.lockkeeper.escrow.EscrowImport;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What reading a directory found besides escrows: recovery objects that cannot be imported, and
 * computers whose recovery objects are skipped, each with its reason (the first few kept for the report).
 * Written by the reading thread, read after it ended.
 */
final class ReadTally {

    static final int EXAMPLES = 20;

    private long objects;
    private long unreadable;
    private long skippedObjects;
    private final List<String> unreadableExamples = new ArrayList<>();
    private final Set<String> skippedComputers = new HashSet<>();
    private final List<String> skippedExamples = new ArrayList<>();

    /** Turns one page of recovery objects into escrows for {@code sink}, counting what cannot be imported. */
    synchronized void page(List<RecoveryObjects.Read> reads, List<ComputerObjects.Resolved> skipped,
            Consumer<List<EscrowImport.Item>> sink) {
        List<EscrowImport.Item> items = new ArrayList<>(reads.size());
        for (RecoveryObjects.Read read : reads) {
            objects++;
            if (read instanceof RecoveryObjects.Escrow escrow) {
                items.add(escrow.item());
            } else if (read instanceof RecoveryObjects.Unreadable bad) {
                unreadable++;
                if (unreadableExamples.size() < EXAMPLES) {
                    unreadableExamples.add(bad.describe());
                }
            }
        }
        for (ComputerObjects.Resolved computer : skipped) {
            objects++;
            skippedObjects++;
            if (skippedComputers.add(computer.parentDn()) && skippedExamples.size() < EXAMPLES) {
                skippedExamples.add(computer.describe());
            }
        }
        sink.accept(items);
    }

    synchronized long objects() {
        return objects;
    }

    synchronized long unreadable() {
        return unreadable;
    }

    synchronized List<String> unreadableExamples() {
        return List.copyOf(unreadableExamples);
    }

    synchronized long skippedComputers() {
        return skippedComputers.size();
    }

    synchronized long skippedObjects() {
        return skippedObjects;
    }

    synchronized List<String> skippedExamples() {
        return List.copyOf(skippedExamples);
    }
}
