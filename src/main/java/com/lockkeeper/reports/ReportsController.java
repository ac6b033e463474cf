package com.lockkeeper.reports;

import com.lockkeeper.audit.AuditAction;
import com.lockkeeper.audit.AuditEntry;
import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.users.SignedInUser;
import com.lockkeeper.http.FieldError;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The reports for auditors and admins: a page per report with its filters, and the same rows as
 * CSV and JSON. Every view and every export is audited with its filters.
 */
@Controller
class ReportsController {

    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);
    private static final MediaType CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);

    private final Reports reports;
    private final AuditLog audit;

    ReportsController(Reports reports, AuditLog audit) {
        this.reports = reports;
        this.audit = audit;
    }

    @GetMapping("/reports")
    String index(Model model) {
        model.addAttribute("definitions", Reports.definitions());
        return "reports/index";
    }

    @GetMapping("/reports/{name:[a-z-]+}")
    String view(@PathVariable String name, @RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(required = false) String user, @RequestParam(required = false) String computer,
            @RequestParam(required = false) String days, @RequestParam(required = false) String period,
            @AuthenticationPrincipal SignedInUser me, Model model) {
        Reports.Definition definition = definition(name);
        ReportFilters.Typed typed = new ReportFilters.Typed(from, to, user, computer, days, period);
        ReportFilters.Checked checked = ReportFilters.check(typed, reports.today(), definition.daysBack());
        model.addAttribute("definition", definition);
        model.addAttribute("typed", typed);
        Map<String, String> errors = new LinkedHashMap<>();
        for (FieldError error : checked.errors()) {
            errors.put(error.field(), Character.toUpperCase(error.reason().charAt(0)) + error.reason().substring(1) + ".");
        }
        model.addAttribute("errors", errors);
        if (checked.filters() != null) {
            ReportFilters filters = checked.filters();
            Report<?> report = reports.build(definition, filters);
            audit.record(AuditEntry.success(me.actor(), AuditAction.REPORT_VIEW, "report " + name, describe(definition, filters, report)));
            model.addAttribute("report", report);
            model.addAttribute("cells", report.cells().stream().map(row -> row.stream().map(ReportsController::shown).toList()).toList());
            model.addAttribute("shownFrom", filters.from().toString());
            model.addAttribute("shownTo", filters.to().toString());
            model.addAttribute("csvLink", exportLink(name, "csv", typed));
            model.addAttribute("jsonLink", exportLink(name, "json", typed));
        }
        return "reports/report";
    }

    @GetMapping("/reports/{name:[a-z-]+}.csv")
    ResponseEntity<String> csv(@PathVariable String name, @RequestParam(required = false) String from,
            @RequestParam(required = false) String to, @RequestParam(required = false) String user,
            @RequestParam(required = false) String computer, @RequestParam(required = false) String days,
            @RequestParam(required = false) String period, @AuthenticationPrincipal SignedInUser me) {
        return export(name, "csv", new ReportFilters.Typed(from, to, user, computer, days, period), me);
    }

    @GetMapping("/reports/{name:[a-z-]+}.json")
    ResponseEntity<String> json(@PathVariable String name, @RequestParam(required = false) String from,
            @RequestParam(required = false) String to, @RequestParam(required = false) String user,
            @RequestParam(required = false) String computer, @RequestParam(required = false) String days,
            @RequestParam(required = false) String period, @AuthenticationPrincipal SignedInUser me) {
        return export(name, "json", new ReportFilters.Typed(from, to, user, computer, days, period), me);
    }

    private ResponseEntity<String> export(String name, String format, ReportFilters.Typed typed, SignedInUser me) {
        Reports.Definition definition = definition(name);
        ReportFilters.Checked checked = ReportFilters.check(typed, reports.today(), definition.daysBack());
        if (checked.filters() == null) {
            return ResponseEntity.badRequest().contentType(new MediaType("text", "plain", StandardCharsets.UTF_8))
                    .body(checked.errors().stream().map(FieldError::describe).collect(Collectors.joining("\n"))
                            + "\nCorrect the filter and download again.\n");
        }
        Report<?> report = reports.build(definition, checked.filters());
        audit.record(AuditEntry.success(me.actor(), AuditAction.REPORT_EXPORT, "report " + name,
                "format: " + format + "; " + describe(definition, checked.filters(), report)));
        String fileName = "lockkeeper-" + name + "-" + reports.today() + "." + format;
        HttpHeaders headers = new HttpHeaders();
        headers.setContentDisposition(ContentDisposition.attachment().filename(fileName).build());
        headers.setCacheControl("no-store");
        return ResponseEntity.ok().headers(headers).contentType(format.equals("csv") ? CSV : MediaType.APPLICATION_JSON)
                .body(format.equals("csv") ? Csv.of(report) : ReportJson.of(report, checked.filters(), definition));
    }

    private static Reports.Definition definition(String name) {
        return Reports.definition(name).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                "there is no report " + name + ": see /reports for the list"));
    }

    private static String describe(Reports.Definition definition, ReportFilters filters, Report<?> report) {
        List<String> parts = new ArrayList<>();
        if (definition.takes("from")) {
            parts.add("from: " + filters.from());
            parts.add("to: " + filters.to());
        }
        if (definition.takes("user") && filters.user() != null) {
            parts.add("user: " + filters.user());
        }
        if (definition.takes("computer") && filters.computer() != null) {
            parts.add("computer: " + filters.computer());
        }
        if (definition.takes("days")) {
            parts.add("days: " + filters.days());
        }
        if (definition.takes("period")) {
            parts.add("period: " + filters.period().name().toLowerCase(java.util.Locale.ROOT));
        }
        parts.add("rows: " + report.rows().size());
        String detail = String.join("; ", parts).replaceAll("\\p{Cntrl}", " ");
        return detail.length() > 1000 ? detail.substring(0, 999) + "…" : detail;
    }

    private static String exportLink(String name, String format, ReportFilters.Typed typed) {
        UriComponentsBuilder link = UriComponentsBuilder.fromPath("/reports/" + name + "." + format);
        typed.asMap().forEach(link::queryParam);
        return link.encode().build().toUriString();
    }

    static String shown(Object value) {
        if (value == null) {
            return "";
        }
        return value instanceof Instant instant ? SHOWN.format(instant) : value.toString();
    }
}
