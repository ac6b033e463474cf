package com.lockkeeper.escrow;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.audit.AuditAction;
import com.lockkeeper.audit.AuditEntry;
import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.computers.ComputerRepository;
import com.lockkeeper.computers.RecoveryKeyRepository;
import com.lockkeeper.computers.StoredKey;
import com.lockkeeper.keys.RecordSealer;
import com.lockkeeper.http.FieldError;
import com.lockkeeper.http.InvalidRequestException;
import com.lockkeeper.support.IoProblems;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Imports many escrows at once from a JSON Lines file, one escrow per line in the format of
 * {@code POST /api/v1/escrow}: for moving keys over from Active Directory or MBAM, and for mass
 * re-escrow after an incident. The same rules as the API (validated the same way, sealed by the
 * same sealer, nothing overwritten: a repeat is skipped, a different password under a stored ID
 * is refused and audited), but written a thousand at a time. A file with any malformed line is
 * refused whole before anything is stored.
 */
public final class EscrowImport {

    /** Escrows per committed transaction, unless an importer asks for another size. */
    public static final int BATCH = 1000;

    /** The associations the batch made, each named: every change of a computer's associated users is audited. */
    private static String associations(EscrowStore.Stored stored) {
        if (stored.associatedUsers().isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder("; associated users:");
        stored.associatedUsers().forEach((computer, users) -> text.append(' ').append(computer).append(" (")
                .append(String.join(", ", users)).append(')'));
        return text.length() > 1500 ? text.substring(0, 1500) + " …" : text.toString();
    }

    private static final int ERRORS_SHOWN = 20;

    /** What an import did. */
    public record Summary(long stored, long alreadyStored, long conflicts) {
        public long lines() {
            return stored + alreadyStored + conflicts;
        }
    }

    /** The file has malformed lines: nothing was imported. The message lists the first ones. */
    public static final class InvalidFileException extends RuntimeException {
        InvalidFileException(String message) {
            super(message);
        }
    }

    /**
     * One escrow read from a source, and where in the source it was read ({@code line 12}, a
     * directory entry's DN, a CSV row): conflicts are audited with it.
     */
    public record Item(String where, EscrowCommand command) {
    }

    private record Line(String where, SealedEscrow escrow) {
        EscrowCommand command() {
            return escrow.command();
        }
    }

    private final EscrowStore store;
    private final RecoveryKeyRepository keys;
    private final RecordSealer sealer;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final Clock clock;

    private final EscrowMetrics metrics;

    EscrowImport(ComputerRepository computers, RecoveryKeyRepository keys, RecordSealer sealer, AuditLog audit,
            TransactionTemplate transactions, Clock clock, EscrowMetrics metrics) {
        this.metrics = metrics;
        this.store = new EscrowStore(computers, keys);
        this.keys = keys;
        this.sealer = sealer;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** Validates every line; answers how many escrows the file holds, or throws naming the bad lines. */
    public long check(Path file) {
        List<String> errors = new ArrayList<>();
        long[] bad = {0};
        long escrows = forEachLine(file, (number, text) -> {
            try {
                EscrowRequest.command(text.getBytes(StandardCharsets.UTF_8), clock);
            } catch (InvalidRequestException e) {
                if (++bad[0] <= ERRORS_SHOWN) {
                    errors.add("line " + number + ": " + describe(e.errors()));
                }
            }
        });
        if (bad[0] > 0) {
            throw new InvalidFileException(file + " has " + bad[0] + " malformed line(s); nothing was imported. Fix them and"
                    + " run the import again:\n  " + String.join("\n  ", errors)
                    + (bad[0] > ERRORS_SHOWN ? "\n  ... and " + (bad[0] - ERRORS_SHOWN) + " more" : ""));
        }
        return escrows;
    }

    /** Imports a file that {@link #check} accepted; {@code progress} hears the number of lines done. */
    public Summary importFile(Path file, Actor actor, LongConsumer progress) {
        Batches batches = new Batches("file " + file.getFileName(), actor, BATCH, progress);
        forEachLine(file, (number, text) -> batches.add(new Item("line " + number,
                EscrowRequest.command(text.getBytes(StandardCharsets.UTF_8), clock)), number));
        return batches.finish();
    }

    /**
     * Imports escrows from any source, a batch of {@value #BATCH} per transaction, each batch audited under
     * {@code source} (like {@code directory dc1.corp.example.com}); {@code progress} hears the number of items done.
     */
    public Summary importItems(String source, Iterator<Item> items, Actor actor, LongConsumer progress) {
        return importItems(source, items, BATCH, actor, progress);
    }

    /**
     * Imports escrows from any source, {@code batchSize} (1 to 50,000) per transaction, each batch audited under
     * {@code source}; {@code progress} hears the number of items committed.
     */
    public Summary importItems(String source, Iterator<Item> items, int batchSize, Actor actor, LongConsumer progress) {
        if (batchSize < 1 || batchSize > 50_000) {
            throw new IllegalArgumentException("a batch holds 1 to 50,000 escrows, not " + batchSize);
        }
        Batches batches = new Batches(source, actor, batchSize, progress);
        while (true) {
            Item item;
            try {
                if (!items.hasNext()) {
                    break;
                }
                item = items.next();
            } catch (RuntimeException sourceFailed) {
                keepWhatWasRead(batches, sourceFailed);
                throw sourceFailed;
            }
            batches.add(item);
        }
        return batches.finish();
    }

    /**
     * The source failed (a directory that stopped answering): the items read before it were whole and
     * valid, so they are written (and audited) as a batch: however large the batches, what was read is
     * kept, and a re-run stores the rest and nothing twice.
     */
    private static void keepWhatWasRead(Batches batches, RuntimeException sourceFailed) {
        try {
            batches.finish();
        } catch (RuntimeException writeFailed) {
            sourceFailed.addSuppressed(writeFailed);
        }
    }

    /** Collects items, seals them and writes them a batch at a time, adding up what each batch did. */
    private final class Batches {
        private final String source;
        private final Actor actor;
        private final int size;
        private final LongConsumer progress;
        private final List<Line> batch;
        private long position;
        private final long[] totals = new long[3];

        Batches(String source, Actor actor, int size, LongConsumer progress) {
            this.source = source;
            this.actor = actor;
            this.size = size;
            this.progress = progress;
            this.batch = new ArrayList<>(Math.min(size, 10_000));
        }

        void add(Item item) {
            add(item, position + 1);
        }

        /** Adds one item at this position of the source (what progress reports once its batch is committed). */
        void add(Item item, long itemPosition) {
            batch.add(new Line(item.where(), SealedEscrow.seal(item.command(), sealer)));
            position = itemPosition;
            if (batch.size() >= size) {
                flush();
            }
        }

        Summary finish() {
            if (!batch.isEmpty()) {
                flush();
            }
            Summary summary = new Summary(totals[0], totals[1], totals[2]);
            metrics.imported(summary);
            return summary;
        }

        private void flush() {
            long[] written = write(source, batch, actor);
            for (int i = 0; i < totals.length; i++) {
                totals[i] += written[i];
            }
            batch.clear();
            progress.accept(position);
        }
    }

    private long[] write(String source, List<Line> batch, Actor actor) {
        return transactions.execute(tx -> {
            Instant now = clock.instant();
            Map<ProtectorId, StoredKey> stored = keys.byProtectorIds(batch.stream().map(l -> l.command().recoveryPasswordId()).toList());
            Map<ProtectorId, Line> fresh = new LinkedHashMap<>();
            long repeats = 0;
            long conflicts = 0;
            for (Line line : batch) {
                ProtectorId id = line.command().recoveryPasswordId();
                StoredKey existing = stored.get(id);
                Line earlier = fresh.get(id);
                boolean same = existing != null ? sameKey(existing, line) : earlier == null || sameKey(earlier, line);
                if (existing == null && earlier == null) {
                    fresh.put(id, line);
                } else if (same) {
                    repeats++;
                    if (existing != null) {
                        addMissingKeyPackage(existing, line, actor, source);
                    }
                } else {
                    conflicts++;
                    audit.record(AuditEntry.refused(actor, AuditAction.ESCROW, "key " + id + " volume " + line.command().volumeId(),
                            "conflict in import of " + source + ", " + line.where()
                                    + ": this recovery password ID is stored with another password or volume"));
                }
            }
            EscrowStore.Stored written = store.insertNew(fresh.values().stream().map(line -> EscrowStore.Entry.imported(line.escrow()))
                    .toList(), now, true);
            audit.record(AuditEntry.success(actor, AuditAction.ESCROW_IMPORT, source, batch.get(0).where()
                    + " to " + batch.get(batch.size() - 1).where() + ": " + fresh.size() + " stored, "
                    + repeats + " already stored, " + conflicts + " conflicts refused" + associations(written)));
            return new long[] {fresh.size(), repeats, conflicts};
        });
    }

    /** A repeat that brings the key package a stored key lacks adds it, as a device's repeated escrow does. */
    private void addMissingKeyPackage(StoredKey existing, Line line, Actor actor, String source) {
        if (line.escrow().keyPackage() != null && existing.keyPackage() == null
                && keys.addKeyPackageIfMissing(existing.id(), line.escrow().keyPackage())) {
            audit.record(AuditEntry.success(actor, AuditAction.ESCROW_KEY_PACKAGE, "key " + line.command().recoveryPasswordId()
                    + " volume " + line.command().volumeId(), "key package added by the import of " + source + ", " + line.where()));
        }
    }

    private boolean sameKey(StoredKey stored, Line line) {
        return line.escrow().sameKey(stored, sealer);
    }

    private static boolean sameKey(Line earlier, Line line) {
        return line.escrow().sameKey(earlier.command().volumeId(), earlier.escrow().fingerprint());
    }

    private static String describe(List<FieldError> errors) {
        return errors.stream().map(FieldError::describe).collect(Collectors.joining("; "));
    }

    private interface LineHandler {
        void accept(long number, String text);
    }

    /** Calls the handler for every non-blank line; answers how many there were. */
    private static long forEachLine(Path file, LineHandler handler) {
        long escrows = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            long number = 0;
            for (String text = reader.readLine(); text != null; text = reader.readLine()) {
                number++;
                if (!text.isBlank()) {
                    escrows++;
                    handler.accept(number, text);
                }
            }
        } catch (CharacterCodingException e) {
            throw new InvalidFileException(file + " is not UTF-8 text: a JSON Lines file of escrows is UTF-8, one JSON object"
                    + " per line; nothing was imported");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + IoProblems.describe(e), e);
        }
        return escrows;
    }
}
