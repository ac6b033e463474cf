package com.lockkeeper.activedirectory;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.audit.AuditAction;
import com.lockkeeper.audit.AuditEntry;
import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.audit.Outcome;
import com.lockkeeper.escrow.EscrowImport;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldif.LDIFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Imports BitLocker recovery passwords that Active Directory holds (msFVE-RecoveryInformation objects
 * under the computer objects), from the directory itself or from an {@code ldifde} export, through
 * {@link EscrowImport}: the escrow API's rules, a thousand keys per transaction, each batch and each
 * conflict audited, nothing stored twice. Keys get the volume type {@code Unknown} until their
 * device checks in.
 *
 * <p>Every run reads the domain controller's highestCommittedUSN first and, once it has read
 * everything, records it as that controller's watermark: the next run that asks for changes only
 * (the scheduled sync) reads the objects whose uSNChanged is above it. Never writes to the directory.
 */
public final class DirectoryImport {

    /**
     * How to reach the directory: {@code url} ldaps://dc1.corp.example.com (or ldap://), the base DN to
     * search under, the reading account's DN and a file with its password, for ldaps the CA file (PEM; else
     * the JVM's trust store), the page size (Active Directory's MaxPageSize is 1,000) and a time-out per request.
     */
    public record Connection(String url, String baseDn, String bindDn, Path bindPasswordFile, Path caFile, int pageSize,
            Duration timeout) {

        public Connection {
            pageSize = pageSize <= 0 ? 1_000 : pageSize;
            timeout = timeout == null ? Duration.ofSeconds(60) : timeout;
        }

        @Override
        public String toString() {
            return "Connection[" + url + ", " + baseDn + ", as " + bindDn + "]";
        }
    }

    /** Hears how many recovery objects were imported so far, and the total when known (0 when not). */
    public interface Progress {
        void update(long done, long expected);
    }

    /**
     * What a run did: the import's counts, recovery objects read, those that cannot be imported and
     * the computers skipped (each with the first few reasons), the controller and its new watermark
     * (none for an LDIF file or a run that did not finish), and whether only changes were read.
     */
    public record Report(String source, EscrowImport.Summary summary, long objects, long unreadable,
            List<String> unreadableExamples, long skippedComputers, long skippedObjects, List<String> skippedExamples,
            String controller, Long nextUsn, Long changesFrom, Duration elapsed) {

        public boolean changesOnly() {
            return changesFrom != null;
        }

        /** The counts in one line, as the audit log and the command print them. */
        public String counts() {
            return objects + " recovery object(s) read" + (changesOnly() ? " (changes from USN " + changesFrom + ")" : "")
                    + ": " + summary.stored() + " stored, " + summary.alreadyStored() + " already stored, " + summary.conflicts()
                    + " conflict(s) refused, " + unreadable + " unreadable, " + skippedObjects + " of "
                    + skippedComputers + " computer(s) skipped";
        }
    }

    /** Keys per committed transaction (see BENCHMARKS.md, "Import from Active Directory"). */
    public static final int BATCH = EscrowImport.BATCH;

    private final EscrowImport escrowImport;
    private final DirectorySyncRepository sync;
    private final AuditLog audit;
    private final Clock clock;

    DirectoryImport(EscrowImport escrowImport, DirectorySyncRepository sync, AuditLog audit, Clock clock) {
        this.escrowImport = escrowImport;
        this.sync = sync;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Reads the directory's recovery objects: all of them, or with {@code changesOnly} those changed since
     * this controller's watermark (all of them when it has none). Audited under {@code action}.
     *
     * @throws DirectoryException when the directory cannot be reached, bound to or searched
     */
    public Report importDirectory(Connection connection, boolean changesOnly, AuditAction action, Actor actor,
            Progress progress) {
        return importDirectory(connection, changesOnly, BATCH, action, actor, progress);
    }

    /** {@link #importDirectory(Connection, boolean, AuditAction, Actor, Progress)} written in batches of another size. */
    public Report importDirectory(Connection connection, boolean changesOnly, int batchSize, AuditAction action,
            Actor actor, Progress progress) {
        long start = System.nanoTime();
        String baseDn = normalizedBase(connection.baseDn());
        DirectoryReader opened;
        try {
            opened = DirectoryReader.open(connection);
        } catch (DirectoryException e) {
            audit.record(AuditEntry.of(actor, action, fitted("directory " + connection.url() + " " + connection.baseDn()),
                    Outcome.FAILURE, DirectoryException.shortened(e.getMessage())));
            throw e;
        }
        try (DirectoryReader reader = opened) {
            DirectoryReader.Controller controller = reader.controller();
            OptionalLong watermark = changesOnly ? sync.nextUsn(controller.dnsHostName(), baseDn) : OptionalLong.empty();
            Filter filter = Filter.createEqualityFilter("objectClass", RecoveryObjects.CLASS);
            if (watermark.isPresent()) {
                filter = Filter.createANDFilter(filter,
                        Filter.createGreaterOrEqualFilter(RecoveryObjects.USN_CHANGED, Long.toString(watermark.getAsLong())));
            }
            String source = fitted("directory " + controller.dnsHostName() + " " + connection.baseDn());
            ReadTally tally = new ReadTally();
            AtomicLong expected = new AtomicLong();
            Filter search = filter;
            EscrowImport.Summary summary;
            boolean completed;
            try (ItemPipe pipe = new ItemPipe("directory-import", sink -> reader.read(search, tally, sink, expected::set))) {
                summary = escrowImport.importItems(source, pipe, batchSize, actor, done -> progress.update(done, expected.get()));
                completed = pipe.completed();
            } catch (RuntimeException e) {
                audit.record(AuditEntry.of(actor, action, source, Outcome.FAILURE, "stopped after " + tally.objects()
                        + " recovery object(s) read: " + (e instanceof DirectoryException ? DirectoryException.shortened(e.getMessage())
                        : e.getClass().getSimpleName())));
                throw e;
            }
            Long nextUsn = null;
            if (completed && controller.highestCommittedUsn() >= 0) {
                nextUsn = controller.highestCommittedUsn() + 1;
                sync.saveNextUsn(controller.dnsHostName(), baseDn, nextUsn, clock.instant());
            }
            Report report = report(source, summary, tally, controller.dnsHostName(), nextUsn,
                    watermark.isPresent() ? watermark.getAsLong() : null, start);
            progress.update(summary.lines(), summary.lines());
            audit.record(AuditEntry.success(actor, action, source, report.counts()
                    + (nextUsn == null ? "" : "; watermark now USN " + nextUsn)));
            return report;
        }
    }

    /**
     * Reads the recovery objects of an LDIF export. Audited under {@code action}.
     *
     * @throws DirectoryException when the file cannot be read or is not LDIF
     */
    public Report importLdif(Path file, AuditAction action, Actor actor, Progress progress) {
        long start = System.nanoTime();
        if (!Files.isReadable(file)) {
            throw new DirectoryException("cannot read " + file + ": give the path of an LDIF export made by ldifde", null);
        }
        LdifObjects ldif = new LdifObjects(file);
        LdifObjects.Survey survey;
        try {
            survey = ldif.survey();
        } catch (IOException | LDIFException e) {
            throw new DirectoryException(file + " is not an LDIF file that can be read: " + e.getMessage()
                    + "; nothing was imported", e);
        }
        String source = fitted("LDIF file " + file.getFileName());
        ReadTally tally = new ReadTally();
        EscrowImport.Summary summary;
        try (ItemPipe pipe = new ItemPipe("ldif-import", sink -> ldif.read(survey, tally, sink))) {
            summary = escrowImport.importItems(source, pipe, BATCH, actor, done -> progress.update(done, survey.recoveryObjects()));
        }
        Report report = report(source, summary, tally, null, null, null, start);
        audit.record(AuditEntry.success(actor, action, source, report.counts()));
        return report;
    }

    private static Report report(String source, EscrowImport.Summary summary, ReadTally tally, String controller, Long nextUsn,
            Long changesFrom, long startNanos) {
        return new Report(source, summary, tally.objects(), tally.unreadable(), tally.unreadableExamples(),
                tally.skippedComputers(), tally.skippedObjects(), tally.skippedExamples(), controller, nextUsn, changesFrom,
                Duration.ofNanos(System.nanoTime() - startNanos));
    }

    /** The source as the audit log's target names it (the column holds 255 characters; a deep base DN is cut). */
    static String fitted(String source) {
        return source.length() <= 200 ? source : source.substring(0, 199) + "…";
    }

    private static String normalizedBase(String baseDn) {
        if (baseDn == null || baseDn.isBlank()) {
            throw new DirectoryException("no base DN was given: the DN to search under, like DC=corp,DC=example,DC=com", null);
        }
        try {
            return new DN(baseDn).toNormalizedString();
        } catch (LDAPException e) {
            throw new DirectoryException("the base DN is not a DN like DC=corp,DC=example,DC=com", e);
        }
    }
}
