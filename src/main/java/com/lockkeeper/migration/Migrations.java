package com.lockkeeper.migration;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.audit.AuditAction;
import com.lockkeeper.audit.AuditEntry;
import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.bitlocker.RecoveryPassword;
import com.lockkeeper.bitlocker.VolumeId;
import com.lockkeeper.computers.ExportedKey;
import com.lockkeeper.computers.KeyState;
import com.lockkeeper.computers.KeyStatus;
import com.lockkeeper.computers.KeysAwaitingVolume;
import com.lockkeeper.computers.RecoveryKeyRepository;
import com.lockkeeper.escrow.EscrowImport;
import com.lockkeeper.escrow.EscrowImport.Item;
import com.lockkeeper.keys.Bundle;
import com.lockkeeper.keys.KeyCeremonies;
import com.lockkeeper.keys.RecipientKey;
import com.lockkeeper.keys.RecordOpener;
import com.lockkeeper.support.IoProblems;
import com.lockkeeper.support.Password;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongConsumer;
import org.springframework.transaction.support.TransactionTemplate;

/** The migration paths: MBAM / Configuration Manager CSV, Entra ID export, and bundles between installations. */
public final class Migrations {

    private static final int EXPORT_PAGE = 500;

    /** What an import read and did. */
    public record Imported(long read, EscrowImport.Summary summary, String note) {
    }

    /** What an export wrote. */
    public record Exported(long count, String bundleId, String recipient) {
    }

    private final EscrowImport escrowImport;
    private final KeysAwaitingVolume awaitingVolume;
    private final RecoveryKeyRepository keys;
    private final KeyCeremonies ceremonies;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final SecureRandom random;
    private final String nodeName;

    Migrations(EscrowImport escrowImport, KeysAwaitingVolume awaitingVolume, RecoveryKeyRepository keys, KeyCeremonies ceremonies,
            AuditLog audit, TransactionTemplate transactions, Clock clock, SecureRandom random, String nodeName) {
        this.escrowImport = escrowImport;
        this.awaitingVolume = awaitingVolume;
        this.keys = keys;
        this.ceremonies = ceremonies;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
        this.random = random;
        this.nodeName = nodeName;
    }

    /** Checks every row of a Configuration Manager / MBAM CSV export, then imports it; a file with a bad row is refused whole. */
    public Imported importMbam(Path file, Actor actor, LongConsumer progress) {
        List<Item> items = MbamCsv.read(file, clock);
        return new Imported(items.size(), escrowImport.importItems("MBAM export " + file.getFileName(), items.iterator(), actor,
                progress), "");
    }

    /** Checks every key of an Entra ID export, then imports it; the keys wait on placeholder volumes until their devices report them. */
    public Imported importEntra(Path file, Actor actor, LongConsumer progress) {
        EntraExport.Read read = EntraExport.read(file, clock);
        EscrowImport.Summary summary = escrowImport.importItems("Entra ID export " + file.getFileName(), read.items().iterator(),
                actor, progress);
        transactions.executeWithoutResult(tx -> awaitingVolume.markPlaceholders(read.placeholders(), clock.instant()));
        return new Imported(read.items().size(), summary, read.placeholders().size() + " device volume(s) wait for their"
                + " device's first check-in to learn their volume GUID");
    }

    /** The number of keys an export with these computer names (any form; empty for all) would write. */
    public long countForExport(Collection<String> computers) {
        return keys.countForExport(hostNames(computers));
    }

    /**
     * Writes every key (or those of {@code computers}) to {@code out}, each sealed to {@code recipient}:
     * a key ceremony, opened with {@code dmkPassword} (or this node's registration when null), audited.
     */
    public Exported exportBundle(Writer out, RecipientKey recipient, Collection<String> computers, Password dmkPassword,
            Actor actor) {
        Set<String> names = hostNames(computers);
        RecordOpener opener = ceremonies.openForExport(dmkPassword, actor);
        long count = keys.countForExport(names);
        Bundle.BundleWriter writer = Bundle.write(out, recipient, count, nodeName, clock.instant(), random);
        long after = 0;
        long written = 0;
        while (written < count) {
            List<ExportedKey> page = keys.forExport(after, EXPORT_PAGE, names);
            if (page.isEmpty()) {
                break;
            }
            for (ExportedKey key : page) {
                if (written == count) {
                    break; // escrowed while exporting: the next export has it
                }
                writer.add(record(opener, key));
                written++;
                after = key.id();
            }
        }
        if (written != count) {
            throw new IllegalStateException("keys were removed while exporting; run the export again");
        }
        Bundle.Header header = writer.finish();
        audit.record(AuditEntry.success(actor, AuditAction.BUNDLE_EXPORT, "bundle " + header.bundleId(), count
                + " key(s) exported, encrypted to public key " + recipient.fingerprint()
                + (names.isEmpty() ? "" : "; computers: " + String.join(", ", names))));
        return new Exported(count, header.bundleId().toString(), recipient.fingerprint());
    }

    private static byte[] record(RecordOpener opener, ExportedKey key) {
        byte[] keyBytes = opener.open(key.passwordBinding(), key.password());
        byte[] keyPackage = key.keyPackage() == null ? null : opener.open(key.keyPackageBinding(), key.keyPackage());
        try {
            return BundleRecords.write(key, RecoveryPassword.fromKeyBytes(keyBytes).reveal(), keyPackage);
        } finally {
            Arrays.fill(keyBytes, (byte) 0);
            if (keyPackage != null) {
                Arrays.fill(keyPackage, (byte) 0);
            }
        }
    }

    /**
     * Opens and checks every record of a bundle with the recipient's private key, then imports them; a
     * bundle that was altered, cut or is for another key, or has a bad record, is refused whole.
     * Keys the source had disclosed or retired are marked so here too.
     */
    public Imported importBundle(Path file, RecipientKey privateKey, Actor actor, LongConsumer progress) {
        List<Item> items = new ArrayList<>();
        List<BundleRecords.Read> reads = new ArrayList<>();
        Entries bad = new Entries(file.getFileName().toString(), "record");
        Bundle.Header header;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            header = Bundle.read(in, privateKey, (index, record) -> {
                bad.begin();
                try {
                    BundleRecords.Read read = BundleRecords.read(record, clock);
                    reads.add(read);
                    items.add(new Item("record " + index, read.command()));
                } catch (InvalidSourceException e) {
                    bad.problem(e.getMessage());
                } finally {
                    Arrays.fill(record, (byte) 0);
                }
                bad.end("record " + index);
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + IoProblems.describe(e), e);
        }
        bad.checked();
        EscrowImport.Summary summary = escrowImport.importItems("bundle " + header.bundleId() + " from " + header.source(),
                items.iterator(), actor, progress);
        Set<VolumeId> placeholders = new LinkedHashSet<>();
        reads.stream().filter(BundleRecords.Read::placeholder).forEach(r -> placeholders.add(r.command().volumeId()));
        long[] changed = transactions.execute(tx -> {
            Instant now = clock.instant();
            awaitingVolume.markPlaceholders(placeholders, now);
            long disclosed = 0;
            long retired = 0;
            for (BundleRecords.Read read : reads) {
                if (read.status() == KeyStatus.ACTIVE) {
                    continue;
                }
                KeyState state = keys.stateOf(read.command().recoveryPasswordId()).orElse(null);
                if (state == null) {
                    continue;
                }
                if (read.status() == KeyStatus.DISCLOSED && keys.markDisclosed(state.id(), now)) {
                    disclosed++;
                } else if (read.status() == KeyStatus.RETIRED && keys.retire(state.id(), "retired in the installation it came from", now)) {
                    retired++;
                }
            }
            audit.record(AuditEntry.success(actor, AuditAction.BUNDLE_IMPORT, "bundle " + header.bundleId(), header.count()
                    + " key(s) from " + header.source() + " (exported " + header.createdAt() + ", to public key " + header.recipient()
                    + "): " + summary.stored() + " stored, " + summary.alreadyStored() + " already stored, " + summary.conflicts()
                    + " conflicts refused; " + disclosed + " marked disclosed and " + retired + " retired as in the source"));
            return new long[] {disclosed, retired};
        });
        return new Imported(items.size(), summary, "bundle " + header.bundleId() + " from " + header.source() + ", exported "
                + header.createdAt() + "; " + changed[0] + " key(s) marked disclosed and " + changed[1]
                + " retired as they were in the source");
    }

    private static Set<String> hostNames(Collection<String> computers) {
        Set<String> names = new LinkedHashSet<>();
        for (String computer : computers) {
            names.add(com.lockkeeper.bitlocker.ComputerName.parse(computer).name());
        }
        return names;
    }
}
