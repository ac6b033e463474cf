package com.lockkeeper.activedirectory;

import com.lockkeeper.escrow.EscrowImport;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldif.LDIFAddChangeRecord;
import com.unboundid.ldif.LDIFException;
import com.unboundid.ldif.LDIFReader;
import com.unboundid.ldif.LDIFRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads recovery objects from an LDIF export ({@code ldifde -f keys.ldf …}, binary values base64 after
 * {@code ::}, records with or without {@code changetype: add}). A first pass collects the computer
 * objects the export holds (their dNSHostName); a recovery object whose computer is not in the file
 * is named by its parent's RDN.
 */
final class LdifObjects {

    static final int PAGE = 1_000;

    private final Path file;

    LdifObjects(Path file) {
        this.file = file;
    }

    /** The computers in the file and how many recovery objects it holds. */
    record Survey(Map<String, ComputerObjects.Resolved> computers, long recoveryObjects) {
    }

    Survey survey() throws IOException, LDIFException {
        Map<String, ComputerObjects.Resolved> computers = new HashMap<>();
        long recoveryObjects = 0;
        try (LDIFReader reader = new LDIFReader(file.toFile())) {
            for (Entry entry = next(reader); entry != null; entry = next(reader)) {
                if (entry.hasObjectClass(RecoveryObjects.CLASS)) {
                    recoveryObjects++;
                } else if (entry.hasObjectClass(ComputerObjects.CLASS) || entry.hasAttribute(ComputerObjects.DNS_HOST_NAME)) {
                    String dn = normalized(entry.getDN());
                    computers.put(dn, ComputerObjects.resolve(dn, entry));
                }
            }
        }
        return new Survey(computers, recoveryObjects);
    }

    /** Hands the file's recovery objects to {@code sink} as escrows, a page at a time. */
    void read(Survey survey, ReadTally tally, Consumer<List<EscrowImport.Item>> sink) throws IOException, LDIFException {
        try (LDIFReader reader = new LDIFReader(file.toFile())) {
            List<RecoveryObjects.Read> reads = new ArrayList<>(PAGE);
            List<ComputerObjects.Resolved> skipped = new ArrayList<>();
            for (Entry entry = next(reader); entry != null; entry = next(reader)) {
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                if (!entry.hasObjectClass(RecoveryObjects.CLASS)) {
                    continue;
                }
                String parent = RecoveryObjects.parentDn(entry);
                ComputerObjects.Resolved computer = parent == null ? ComputerObjects.resolve(null, null)
                        : survey.computers().computeIfAbsent(parent, dn -> ComputerObjects.resolve(dn, null));
                if (computer.skipped()) {
                    skipped.add(computer);
                } else {
                    reads.add(RecoveryObjects.read(entry, computer.name()));
                }
                if (reads.size() + skipped.size() >= PAGE) {
                    tally.page(reads, skipped, sink);
                    reads = new ArrayList<>(PAGE);
                    skipped = new ArrayList<>();
                }
            }
            tally.page(reads, skipped, sink);
        }
    }

    /** The next entry of the file: a plain entry or an add record; other change records are passed over. */
    private static Entry next(LDIFReader reader) throws IOException, LDIFException {
        while (true) {
            LDIFRecord record = reader.readLDIFRecord();
            if (record == null) {
                return null;
            }
            if (record instanceof Entry entry) {
                return entry;
            }
            if (record instanceof LDIFAddChangeRecord add) {
                return add.getEntryToAdd();
            }
        }
    }

    private static String normalized(String dn) {
        try {
            return new DN(dn).toNormalizedString();
        } catch (LDAPException e) {
            return dn.toLowerCase(Locale.ROOT);
        }
    }
}
