package com.lockkeeper.reports;

import static com.lockkeeper.reports.Report.column;

import com.lockkeeper.audit.AuditAction;
import com.lockkeeper.recovery.RevealDetails;
import com.lockkeeper.reports.ReportRepository.AttemptRow;
import com.lockkeeper.reports.ReportRepository.RecoveryRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** MBAM's recovery audit: every reveal, refused or failed reveal and device unlock, newest first. */
final class RecoveryAuditReport implements ReportType {

    static final Reports.Definition DEFINITION = new Reports.Definition("recovery-audit", "Recovery audit",
            "Every recovery-key request and device unlock: when, by which way, the outcome, the helpdesk user, the end"
                    + " user, the computer, the key, the reason, how the caller's identity was verified, and the approval"
                    + " (or break glass) where one was needed.",
            Set.of("from", "to", "user", "computer"), 30);

    private static final List<Report.Column> COLUMNS = List.of(column("requestTime", "Request time (UTC)"),
            column("source", "Source"), column("outcome", "Outcome"), column("helpdeskUser", "Helpdesk user"),
            column("endUser", "End user"), column("computer", "Computer"), column("keyType", "Key type"),
            column("passwordId", "Password ID"), column("reason", "Reason"), column("identityVerification", "Identity verified by"),
            column("approval", "Approval"));

    record Row(Instant requestTime, String source, String outcome, String helpdeskUser, String endUser, String computer,
            String keyType, String passwordId, String reason, String identityVerification, String approval) implements ReportRow {

        @Override
        public List<Object> cells() {
            return Arrays.asList(requestTime, source, outcome, helpdeskUser, endUser, computer, keyType, passwordId, reason,
                    identityVerification, approval);
        }
    }

    private final ReportRepository repository;

    RecoveryAuditReport(ReportRepository repository) {
        this.repository = repository;
    }

    @Override
    public Reports.Definition definition() {
        return DEFINITION;
    }

    @Override
    public Report<Row> build(ReportFilters f) {
        List<Row> rows = new ArrayList<>();
        repository.recoveries(f.start(), f.end()).forEach(r -> rows.add(recovery(r)));
        repository.unsuccessfulReveals(f.start(), f.end()).forEach(a -> rows.add(attempt(a)));
        rows.removeIf(row -> !ReportFilters.matches(f.user(), row.helpdeskUser(), row.endUser())
                || !ReportFilters.matches(f.computer(), row.computer()));
        rows.sort(Comparator.comparing(Row::requestTime).reversed());
        return Report.of(DEFINITION, COLUMNS, rows);
    }

    /** A reveal or a device's unlock, as recovery_event holds it. */
    private static Row recovery(RecoveryRow r) {
        boolean device = "device".equals(r.source());
        String helpdeskUser = device || "self-service".equals(r.source()) ? null : bareActor(r.actor());
        String endUser = device ? null : r.requester() != null ? r.requester() : bareActor(r.actor());
        String keyType = r.keyType() != null ? r.keyType() : "recovery password";
        return new Row(r.occurredAt(), sourceLabel(r.source()), device ? "unlocked (event " + r.eventId() + ")" : "success",
                helpdeskUser, endUser, r.computer(), keyType, ShortIds.of(r.protectorId()), r.reason(), r.identityVerification(),
                r.approval());
    }

    /** A refused or failed reveal, as its audit record holds it. */
    private static Row attempt(AttemptRow a) {
        RevealDetails detail = RevealDetails.read(a.detail());
        boolean selfService = a.action() == AuditAction.SELF_SERVICE_REVEAL;
        String channel = detail.channel() == null ? "" : detail.channel();
        String source = selfService ? "self-service" : channel.startsWith("helpdesk-api") ? "api" : "helpdesk";
        String computer = detail.computer() != null ? detail.computer() : afterPrefix(a.target(), "computer ");
        return new Row(a.at(), sourceLabel(source), a.outcome(), selfService ? null : bareActor(a.actor()),
                selfService ? bareActor(a.actor()) : detail.requester(), computer,
                a.action() == AuditAction.REVEAL_KEY_PACKAGE ? "key package" : "recovery password",
                ShortIds.of(afterPrefix(a.target(), "key ")), detail.reason() != null ? detail.reason() : detail.why(),
                detail.identity(), detail.breakGlass() != null ? "break glass: " + detail.breakGlass() : detail.approval());
    }

    private static String afterPrefix(String text, String prefix) {
        return text != null && text.startsWith(prefix) ? text.substring(prefix.length()) : null;
    }

    private static String sourceLabel(String source) {
        return switch (source) {
            case "device" -> "Device event";
            case "helpdesk" -> "Helpdesk";
            case "self-service" -> "Self-service";
            case "api" -> "API";
            default -> source;
        };
    }

    /** "user:alice" as alice; other actors (device tokens, the command line) as written. */
    private static String bareActor(String actor) {
        return actor != null && actor.startsWith("user:") ? actor.substring("user:".length()) : actor;
    }
}
