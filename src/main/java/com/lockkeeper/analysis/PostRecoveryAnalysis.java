package com.lockkeeper.analysis;

import com.lockkeeper.audit.AuditAction;
import com.lockkeeper.audit.Actor;
import com.lockkeeper.audit.AuditEntry;
import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.recovery.Choice;
import com.lockkeeper.recovery.RecoveryChoices;
import com.lockkeeper.users.Role;
import com.lockkeeper.users.SignedInUser;
import com.lockkeeper.http.FieldError;
import com.lockkeeper.http.InvalidRequestException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The BitLocker recovery process's post-recovery analysis: a timeline per computer, computers flagged for repeated
 * recoveries or for a recovery after a firmware/boot change, analyses opened for them and
 * closed by an analyst with the root cause and the resolution taken, and recoveries counted by
 * root cause over time.
 */
public final class PostRecoveryAnalysis {

    static final int MAX_NOTES = 1000;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    /** Weeks (ISO, like 2026-W47) or months (like 2026-11). */
    public enum Period {
        WEEK, MONTH;

        public static Optional<Period> parse(String text) {
            if (text == null || text.isBlank()) {
                return Optional.of(MONTH);
            }
            for (Period period : values()) {
                if (period.name().equalsIgnoreCase(text.strip())) {
                    return Optional.of(period);
                }
            }
            return Optional.empty();
        }

        String of(Instant at) {
            ZonedDateTime utc = at.atZone(ZoneOffset.UTC);
            return this == MONTH ? String.format(Locale.ROOT, "%04d-%02d", utc.getYear(), utc.getMonthValue())
                    : String.format(Locale.ROOT, "%04d-W%02d", utc.get(IsoFields.WEEK_BASED_YEAR),
                            utc.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
        }
    }

    private final RecoveryHistory history;
    private final AnalysisRepository analyses;
    private final AnalysisSettings settings;
    private final RecoveryChoices choices;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final String nodeName;

    PostRecoveryAnalysis(RecoveryHistory history, AnalysisRepository analyses, AnalysisSettings settings, RecoveryChoices choices,
            AuditLog audit, TransactionTemplate transactions, Clock clock, String nodeName) {
        this.history = history;
        this.analyses = analyses;
        this.settings = settings;
        this.choices = choices;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
        this.nodeName = nodeName;
    }

    public AnalysisSettings settings() {
        return settings;
    }

    /** The root causes an analyst picks from: the recovery reasons list, as the helpdesk records them. */
    public List<Choice> rootCauses() {
        return choices.reasons();
    }

    public List<Choice> resolutions() {
        return settings.resolutions();
    }

    // Recoveries and flags ------------------------------------------------------------------------

    /** The recoveries among these events (of any computers, each computer's oldest first). */
    public List<Recovery> recoveries(List<EventRecord> events) {
        List<Recovery> recoveries = new ArrayList<>();
        Map<Long, List<EventRecord>> current = new LinkedHashMap<>();
        for (EventRecord event : events) {
            if (!event.recovery()) {
                continue;
            }
            List<EventRecord> open = current.get(event.computerId());
            if (open != null && Duration.between(open.get(open.size() - 1).occurredAt(), event.occurredAt())
                    .compareTo(settings.sameRecovery()) <= 0) {
                open.add(event);
                continue;
            }
            if (open != null) {
                recoveries.add(new Recovery(event.computerId(), open.get(0).computerName(), open));
            }
            List<EventRecord> started = new ArrayList<>();
            started.add(event);
            current.put(event.computerId(), started);
        }
        current.values().forEach(open -> recoveries.add(new Recovery(open.get(0).computerId(), open.get(0).computerName(), open)));
        recoveries.sort(Comparator.comparing(Recovery::at));
        return recoveries;
    }

    /** The flags these events of one computer (oldest first) raise, in the order of their recoveries. */
    public List<Flag> flags(List<EventRecord> events) {
        List<Recovery> recoveries = recoveries(events);
        List<Flag> flags = new ArrayList<>();
        for (int i = 0; i < recoveries.size(); i++) {
            Recovery recovery = recoveries.get(i);
            int first = i;
            while (first > 0 && Duration.between(recoveries.get(first - 1).at(), recovery.at())
                    .compareTo(settings.repeatedWindow()) <= 0) {
                first--;
            }
            int count = i - first + 1;
            if (count >= settings.repeatedRecoveries()) {
                flags.add(new Flag(recovery.computerId(), recovery.computerName(), Flag.Kind.REPEATED, recovery,
                        count + " recoveries within " + settings.repeatedWindow().toDays() + " days, "
                                + TIME.format(recoveries.get(first).at()) + " to " + TIME.format(recovery.at())));
            }
            Instant previous = i == 0 ? Instant.MIN : recoveries.get(i - 1).last();
            bootChangeBefore(events, recovery, previous).ifPresent(why -> flags.add(new Flag(recovery.computerId(),
                    recovery.computerName(), Flag.Kind.AFTER_BOOT_CHANGE, recovery, why)));
        }
        return flags;
    }

    /** A boot change (521/522/523) or a firmware version change before this recovery and after the previous one. */
    private Optional<String> bootChangeBefore(List<EventRecord> events, Recovery recovery, Instant previousRecovery) {
        Instant earliest = recovery.at().minus(settings.bootChangeWindow());
        Instant latest = recovery.last();
        Optional<EventRecord> change = events.stream()
                .filter(e -> e.computerId() == recovery.computerId() && e.bootChange())
                .filter(e -> !e.occurredAt().isAfter(latest) && !e.occurredAt().isBefore(earliest)
                        && e.occurredAt().isAfter(previousRecovery))
                .reduce((a, b) -> b);
        if (change.isPresent()) {
            return Optional.of(change.get().what() + " at " + TIME.format(change.get().occurredAt()));
        }
        Optional<String> firmware = recovery.events().stream().map(EventRecord::firmwareVersion).filter(v -> v != null)
                .findFirst();
        if (firmware.isEmpty()) {
            return Optional.empty();
        }
        return events.stream()
                .filter(e -> e.computerId() == recovery.computerId() && e.firmwareVersion() != null
                        && e.occurredAt().isBefore(recovery.at()))
                .reduce((a, b) -> b)
                .filter(before -> !before.firmwareVersion().equals(firmware.get()))
                .map(before -> "Firmware changed from " + before.firmwareVersion() + " to " + firmware.get()
                        + " (last seen " + TIME.format(before.occurredAt()) + ")");
    }

    /** Flags raised by recoveries that occurred in [from, to), newest first. */
    public List<Flag> flagsBetween(Instant from, Instant to, Flag.Kind kind) {
        Instant reach = from.minus(settings.repeatedWindow()).minus(settings.bootChangeWindow());
        Map<Long, List<EventRecord>> byComputer = history.eventsBetween(reach, to).stream()
                .collect(Collectors.groupingBy(EventRecord::computerId, LinkedHashMap::new, Collectors.toList()));
        List<Flag> flags = new ArrayList<>();
        byComputer.values().forEach(events -> flags(events).stream()
                .filter(flag -> flag.kind() == kind && !flag.at().isBefore(from) && flag.at().isBefore(to))
                .forEach(flags::add));
        flags.sort(Comparator.comparing(Flag::at).reversed());
        return flags;
    }

    /**
     * Opens an analysis for every computer flagged since its last analysis (each audited); a
     * computer with an open analysis gets no second one. Answers how many were opened. One run
     * at a time on this node (the page and the periodic job may both start one).
     */
    public synchronized int openAnalysesForFlaggedComputers() {
        Instant now = clock.instant();
        int opened = 0;
        for (long computerId : history.computersWithEventsReceivedAfter(now.minus(settings.repeatedWindow()))) {
            List<Flag> flags = flags(history.eventsOf(computerId));
            Optional<Flag> latest = flags.stream().max(Comparator.comparing(flag -> flag.recovery().learntAt()));
            if (latest.isEmpty()) {
                continue;
            }
            Flag flag = latest.get();
            // A recovery can be both repeated and after a boot change: the analysis says both.
            String because = truncated(flags.stream().filter(f -> f.recovery().equals(flag.recovery()))
                    .map(f -> f.kind().label() + ": " + f.description()).collect(Collectors.joining("; ")), 255);
            boolean done = Boolean.TRUE.equals(transactions.execute(tx -> {
                if (!analyses.openUnlessSeen(computerId, now, because, flag.recovery().learntAt())) {
                    return false;
                }
                audit.record(AuditEntry.success(Actor.system(nodeName), AuditAction.ANALYSIS_OPEN, "computer " + flag.computerName(), because));
                return true;
            }));
            opened += done ? 1 : 0;
        }
        return opened;
    }

    // Timeline and analyses ------------------------------------------------------------------------

    /** Everything that happened to this computer's recovery keys, oldest first. */
    public List<TimelineEntry> timeline(long computerId) {
        List<TimelineEntry> entries = new ArrayList<>();
        for (EventRecord e : history.eventsOf(computerId)) {
            entries.add(new TimelineEntry(e.occurredAt(), e.recovery() ? "Recovery" : e.bootChange() ? "Boot change" : "Device event",
                    e.what(), e.shortProtectorId(), eventDetail(e), e.recovery()));
        }
        for (RecoveryHistory.KeyChange change : history.keyChangesOf(computerId)) {
            entries.add(new TimelineEntry(change.at(), "Key", change.what(), change.shortProtectorId(),
                    join(change.driveLabel() == null ? null : "volume " + change.driveLabel(), change.detail()), false));
        }
        for (Analysis analysis : analyses.ofComputer(computerId)) {
            entries.add(new TimelineEntry(analysis.openedAt(), "Analysis", "Analysis opened", null, analysis.openedBecause(), false));
            if (analysis.closedAt() != null) {
                entries.add(new TimelineEntry(analysis.closedAt(), "Analysis", "Analysis closed by " + analysis.closedBy(), null,
                        join("root cause: " + analysis.rootCause(), "resolution: " + analysis.resolution(), analysis.notes()), false));
            }
        }
        entries.sort(Comparator.comparing(TimelineEntry::at, Comparator.nullsFirst(Instant::compareTo)));
        return entries;
    }

    private static String eventDetail(EventRecord e) {
        return join(e.driveLabel() == null ? null : "volume " + e.driveLabel(),
                e.recoveryReason() == null ? null : "reason: " + e.recoveryReason(),
                e.unlockedBy() == null ? null : "unlocked by: " + e.unlockedBy(),
                e.protectionMode() == null ? null : "protection: " + e.protectionMode(),
                e.pcrProfile() == null ? null : "PCR profile: " + e.pcrProfile(),
                e.firmwareVersion() == null ? null : "firmware: " + e.firmwareVersion(),
                e.message());
    }

    private static String join(String... parts) {
        return java.util.Arrays.stream(parts).filter(p -> p != null && !p.isBlank()).collect(Collectors.joining("; "));
    }

    public List<Analysis> analysesOf(long computerId) {
        return analyses.ofComputer(computerId);
    }

    public Optional<Analysis> analysis(long id) {
        return analyses.byId(id);
    }

    public List<Analysis> unresolved() {
        return analyses.unresolved();
    }

    /** Whether this person may record root causes and close analyses. */
    public static boolean mayClose(SignedInUser user) {
        return user.has(Role.ADVANCED_HELPDESK) || user.has(Role.ADMIN);
    }

    /** Records the root cause and the resolution taken, and closes the analysis, audited in the same transaction. */
    public Analysis close(long id, String rootCause, String resolution, String notes, SignedInUser analyst) {
        Analysis analysis = analyses.byId(id).orElseThrow(() -> new InvalidRequestException(FieldError.of("analysis",
                "there is no analysis " + id + ": open the list of unresolved analyses and pick one")));
        if (!mayClose(analyst)) {
            audit.record(AuditEntry.refused(analyst.actor(), AuditAction.ANALYSIS_CLOSE, "computer " + analysis.computerName(),
                    "analysis " + id + "; role " + analyst.roleNames() + " may not close analyses"));
            throw new InvalidRequestException(FieldError.of("analysis",
                    "only ADVANCED_HELPDESK or ADMIN may close analyses: ask one of them to record the root cause"));
        }
        if (!analysis.open()) {
            throw new InvalidRequestException(FieldError.of("analysis", "this analysis was closed already by "
                    + analysis.closedBy() + " at " + TIME.format(analysis.closedAt()) + ": nothing was changed"));
        }
        List<FieldError> errors = new ArrayList<>();
        Choice cause = pick(choices.reasons(), rootCause, "rootCause", "root cause", errors);
        Choice taken = pick(settings.resolutions(), resolution, "resolution", "resolution", errors);
        String text = notes == null || notes.isBlank() ? null : notes.strip().replaceAll("\\p{Cntrl}", " ");
        if (text != null && text.length() > MAX_NOTES) {
            errors.add(FieldError.of("notes", "notes have at most " + MAX_NOTES + " characters; this has " + text.length()));
        }
        Optional<Choice> needsNotes = Stream.of(cause, taken).filter(c -> c != null && c.needsNotes()).findFirst();
        if (text == null && needsNotes.isPresent()) {
            errors.add(FieldError.of("notes", "\"" + needsNotes.get().label() + "\" needs notes: describe the root cause and what was done"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        Instant now = clock.instant();
        boolean closed = Boolean.TRUE.equals(transactions.execute(tx -> {
            if (!analyses.close(id, cause.label(), taken.label(), text, analyst.username(), now)) {
                return false;
            }
            audit.record(AuditEntry.success(analyst.actor(), AuditAction.ANALYSIS_CLOSE, "computer " + analysis.computerName(),
                    "analysis " + id + "; root cause: " + cause.label() + "; resolution: " + taken.label() + (text == null ? "" : "; notes: " + text)));
            return true;
        }));
        if (!closed) {
            throw new InvalidRequestException(FieldError.of("analysis", "this analysis was closed by someone else just now:"
                    + " reload the page to see their root cause"));
        }
        return analyses.byId(id).orElseThrow();
    }

    private static Choice pick(List<Choice> choices, String typed, String field, String what, List<FieldError> errors) {
        Optional<Choice> found = Choice.find(choices, typed);
        if (found.isEmpty()) {
            errors.add(FieldError.of(field, (typed == null || typed.isBlank() ? "a " + what + " is required" : "unknown " + what)
                    + ": choose one of: " + choices.stream().map(Choice::label).collect(Collectors.joining(" | "))));
            return null;
        }
        return found.get();
    }

    private static String truncated(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    // Root causes over time ------------------------------------------------------------------------

    /**
     * Recoveries of [from, to) counted by period and root cause: the root cause an analyst
     * recorded for the analysis that covers the recovery, else the reason recorded with it.
     */
    public List<RootCauseCount> byRootCause(LocalDate from, LocalDate to, Period period) {
        Instant start = from.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant end = to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Map<Long, List<Analysis>> analysesByComputer = analyses.all().stream()
                .collect(Collectors.groupingBy(Analysis::computerId));
        Map<String, Map<String, Long>> counts = new TreeMap<>();
        for (Recovery recovery : recoveries(history.eventsBetween(start, end))) {
            String cause = analysesByComputer.getOrDefault(recovery.computerId(), List.of()).stream()
                    .filter(a -> !a.openedAt().isBefore(recovery.at()))
                    .findFirst()
                    .filter(a -> !a.open())
                    .map(Analysis::rootCause)
                    .orElse(Optional.ofNullable(recovery.recordedReason()).orElse("Not recorded"));
            counts.computeIfAbsent(period.of(recovery.at()), p -> new TreeMap<>()).merge(cause, 1L, Long::sum);
        }
        List<RootCauseCount> rows = new ArrayList<>();
        counts.forEach((p, causes) -> causes.forEach((cause, n) -> rows.add(new RootCauseCount(p, cause, n))));
        return rows;
    }
}
