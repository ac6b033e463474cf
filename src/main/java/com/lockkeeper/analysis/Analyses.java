package com.lockkeeper.analysis;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.audit.AuditAction;
import com.lockkeeper.audit.AuditEntry;
import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.http.FieldError;
import com.lockkeeper.http.InvalidRequestException;
import com.lockkeeper.recovery.Choice;
import com.lockkeeper.recovery.RecoveryChoices;
import com.lockkeeper.users.Role;
import com.lockkeeper.users.SignedInUser;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Post-recovery analyses: opened for computers that were flagged, closed by an analyst with the
 * root cause and the resolution taken. Each opening and closing is audited with it.
 */
public final class Analyses {

    static final int MAX_NOTES = 1000;
    private static final int MAX_OPENED_BECAUSE = 255;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final AnalysisRepository repository;
    private final FlaggedRecoveries flagged;
    private final AnalysisSettings settings;
    private final RecoveryChoices choices;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final String nodeName;

    Analyses(AnalysisRepository repository, FlaggedRecoveries flagged, AnalysisSettings settings, RecoveryChoices choices,
            AuditLog audit, TransactionTemplate transactions, Clock clock, String nodeName) {
        this.repository = repository;
        this.flagged = flagged;
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

    public List<Analysis> ofComputer(long computerId) {
        return repository.ofComputer(computerId);
    }

    public Optional<Analysis> byId(long id) {
        return repository.byId(id);
    }

    public List<Analysis> unresolved() {
        return repository.unresolved();
    }

    // Opening ------------------------------------------------------------------------------------

    /**
     * Opens an analysis for every computer flagged since its last analysis (each audited); a
     * computer with an open analysis gets no second one. Answers how many were opened. One run
     * at a time on this node (the page and the periodic job may both start one).
     */
    public synchronized int openForFlaggedComputers() {
        Instant now = clock.instant();
        int opened = 0;
        for (long computerId : flagged.computersWithEventsReceivedAfter(now.minus(settings.repeatedWindow()))) {
            opened += openForLatestFlag(computerId, now) ? 1 : 0;
        }
        return opened;
    }

    private boolean openForLatestFlag(long computerId, Instant now) {
        List<Flag> flags = flagged.of(computerId);
        Optional<Flag> latest = flags.stream().max(Comparator.comparing(flag -> flag.recovery().learntAt()));
        if (latest.isEmpty()) {
            return false;
        }
        Flag flag = latest.get();
        // A recovery can be both repeated and after a boot change: the analysis says both.
        String because = truncated(flags.stream().filter(f -> f.recovery().equals(flag.recovery()))
                .map(f -> f.kind().label() + ": " + f.description()).collect(Collectors.joining("; ")), MAX_OPENED_BECAUSE);
        return Boolean.TRUE.equals(transactions.execute(tx -> {
            if (!repository.openUnlessSeen(computerId, now, because, flag.recovery().learntAt())) {
                return false;
            }
            audit.record(AuditEntry.success(Actor.system(nodeName), AuditAction.ANALYSIS_OPEN, "computer " + flag.computerName(),
                    because));
            return true;
        }));
    }

    private static String truncated(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    // Closing ------------------------------------------------------------------------------------

    /** Whether this person may record root causes and close analyses. */
    public static boolean mayClose(SignedInUser user) {
        return user.has(Role.ADVANCED_HELPDESK) || user.has(Role.ADMIN);
    }

    /** Records the root cause and the resolution taken, and closes the analysis, audited in the same transaction. */
    public Analysis close(long id, String rootCause, String resolution, String notes, SignedInUser analyst) {
        Analysis analysis = repository.byId(id).orElseThrow(() -> new InvalidRequestException(FieldError.of("analysis",
                "there is no analysis " + id + ": open the list of unresolved analyses and pick one")));
        requireMayClose(analysis, analyst);
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
            errors.add(FieldError.of("notes", "\"" + needsNotes.get().label() + "\" needs notes: describe the root cause and what"
                    + " was done"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        if (!closeAudited(analysis, cause.label(), taken.label(), text, analyst)) {
            throw new InvalidRequestException(FieldError.of("analysis", "this analysis was closed by someone else just now:"
                    + " reload the page to see their root cause"));
        }
        return repository.byId(id).orElseThrow();
    }

    private void requireMayClose(Analysis analysis, SignedInUser analyst) {
        if (!mayClose(analyst)) {
            audit.record(AuditEntry.refused(analyst.actor(), AuditAction.ANALYSIS_CLOSE, "computer " + analysis.computerName(),
                    "analysis " + analysis.id() + "; role " + analyst.roleNames() + " may not close analyses"));
            throw new InvalidRequestException(FieldError.of("analysis",
                    "only ADVANCED_HELPDESK or ADMIN may close analyses: ask one of them to record the root cause"));
        }
    }

    private boolean closeAudited(Analysis analysis, String cause, String taken, String notes, SignedInUser analyst) {
        Instant now = clock.instant();
        return Boolean.TRUE.equals(transactions.execute(tx -> {
            if (!repository.close(analysis.id(), cause, taken, notes, analyst.username(), now)) {
                return false;
            }
            audit.record(AuditEntry.success(analyst.actor(), AuditAction.ANALYSIS_CLOSE, "computer " + analysis.computerName(),
                    "analysis " + analysis.id() + "; root cause: " + cause + "; resolution: " + taken
                            + (notes == null ? "" : "; notes: " + notes)));
            return true;
        }));
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
}
