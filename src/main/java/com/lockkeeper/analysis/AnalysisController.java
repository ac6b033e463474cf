package com.lockkeeper.analysis;

import com.lockkeeper.audit.AuditAction;
import com.lockkeeper.audit.AuditEntry;
import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.computers.ComputerSearch;
import com.lockkeeper.computers.ComputerSummary;
import com.lockkeeper.users.SignedInUser;
import com.lockkeeper.http.FieldError;
import com.lockkeeper.http.InvalidRequestException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/**
 * The post-recovery analysis pages: flagged computers and unresolved analyses, a computer's
 * timeline with its analyses, and the form where an analyst records the root cause and the
 * resolution and closes an analysis. Views are audited like reports.
 */
@Controller
class AnalysisController {

    static final Duration RECENT = Duration.ofDays(90);

    private final Analyses analyses;
    private final FlaggedRecoveries flagged;
    private final Timeline timeline;
    private final RootCauseStatistics rootCauses;
    private final ComputerSearch computers;
    private final AuditLog audit;
    private final Clock clock;

    AnalysisController(Analyses analyses, FlaggedRecoveries flagged, Timeline timeline, RootCauseStatistics rootCauses,
            ComputerSearch computers, AuditLog audit, Clock clock) {
        this.analyses = analyses;
        this.flagged = flagged;
        this.timeline = timeline;
        this.rootCauses = rootCauses;
        this.computers = computers;
        this.audit = audit;
        this.clock = clock;
    }

    @GetMapping("/analysis")
    String overview(@RequestParam(required = false) String name, @AuthenticationPrincipal SignedInUser me, Model model) {
        if (name != null && !name.isBlank()) {
            Optional<ComputerSummary> found = computers.byName(name.strip().split("\\.", 2)[0].toUpperCase(java.util.Locale.ROOT));
            if (found.isPresent()) {
                return "redirect:/analysis/computers/" + found.get().id();
            }
            model.addAttribute("nameError", "No computer is named " + name.strip()
                    + ": type the computer name as the device escrowed it, such as DESKTOP-1234");
            model.addAttribute("candidates", computers.nameContains(name.strip()));
        }
        int opened = analyses.openForFlaggedComputers();
        Instant now = clock.instant();
        Instant since = now.minus(RECENT);
        List<Flag> repeated = distinctComputers(flagged.between(since, now.plusSeconds(1), Flag.Kind.REPEATED));
        List<Flag> bootChanges = flagged.between(since, now.plusSeconds(1), Flag.Kind.AFTER_BOOT_CHANGE);
        List<Analysis> unresolved = analyses.unresolved();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        List<RootCauseCount> causes = rootCauses.byRootCause(today.minusMonths(12), today, Period.MONTH);
        audit.record(AuditEntry.success(me.actor(), AuditAction.REPORT_VIEW, "report analysis", "unresolved: " + unresolved.size()
                + "; repeated: " + repeated.size() + "; after boot changes: " + bootChanges.size() + "; opened now: " + opened));
        model.addAttribute("name", name);
        model.addAttribute("settings", analyses.settings());
        model.addAttribute("unresolved", unresolved);
        model.addAttribute("repeated", repeated);
        model.addAttribute("bootChanges", bootChanges);
        model.addAttribute("causes", causes);
        return "analysis/overview";
    }

    @GetMapping("/analysis/computers/{id:\\d+}")
    String computer(@PathVariable long id, @RequestParam(required = false) Long closed, @AuthenticationPrincipal SignedInUser me,
            Model model) {
        ComputerSummary computer = computers.byId(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                "no such computer"));
        audit.record(AuditEntry.success(me.actor(), AuditAction.REPORT_VIEW, "computer " + computer.name(),
                "post-recovery analysis timeline"));
        if (closed != null) {
            model.addAttribute("notice", "Analysis " + closed + " is closed; its root cause and resolution are recorded.");
        }
        return computerPage(computer, me, model, Map.of(), null);
    }

    @PostMapping("/analysis/{id:\\d+}/close")
    String close(@PathVariable long id, @RequestParam(required = false) String rootCause,
            @RequestParam(required = false) String resolution, @RequestParam(required = false) String notes,
            @AuthenticationPrincipal SignedInUser me, Model model) {
        Analysis target = analyses.byId(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                "no such analysis"));
        try {
            analyses.close(id, rootCause, resolution, notes, me);
            return "redirect:/analysis/computers/" + target.computerId() + "?closed=" + id;
        } catch (InvalidRequestException e) {
            Map<String, String> errors = new LinkedHashMap<>();
            for (FieldError error : e.errors()) {
                errors.put(error.field(), Character.toUpperCase(error.reason().charAt(0)) + error.reason().substring(1) + ".");
            }
            model.addAttribute("typedRootCause", rootCause);
            model.addAttribute("typedResolution", resolution);
            model.addAttribute("typedNotes", notes);
            return computerPage(computers.byId(target.computerId()).orElseThrow(), me, model, errors, id);
        }
    }

    private String computerPage(ComputerSummary computer, SignedInUser me, Model model, Map<String, String> errors, Long failed) {
        model.addAttribute("computer", computer);
        model.addAttribute("timeline", timeline.of(computer.id()));
        model.addAttribute("analyses", analyses.ofComputer(computer.id()));
        model.addAttribute("mayClose", Analyses.mayClose(me));
        model.addAttribute("rootCauses", analyses.rootCauses());
        model.addAttribute("resolutions", analyses.resolutions());
        model.addAttribute("errors", errors);
        model.addAttribute("failed", failed);
        return "analysis/computer";
    }

    private static List<Flag> distinctComputers(List<Flag> newestFirst) {
        Map<Long, Flag> latest = new LinkedHashMap<>();
        newestFirst.forEach(flag -> latest.putIfAbsent(flag.computerId(), flag));
        return List.copyOf(latest.values());
    }
}
