package com.lockkeeper.reports;

import static com.lockkeeper.reports.Report.column;

import com.lockkeeper.analysis.Analysis;
import com.lockkeeper.analysis.Flag;
import com.lockkeeper.analysis.Analyses;
import com.lockkeeper.analysis.FlaggedRecoveries;
import com.lockkeeper.analysis.Period;
import com.lockkeeper.analysis.RootCauseStatistics;
import com.lockkeeper.reports.ReportRepository.ActionRow;
import com.lockkeeper.reports.ReportRepository.KeyRow;
import com.lockkeeper.reports.ReportRepository.VolumeRow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Every report, built from the database as it is now: the lifecycle reports (keys disclosed but
 * not rotated, computers not checked in, escrow drift), MBAM's compliance and recovery audit
 * reports, and the post-recovery analysis lists. Read-only; the controller audits each view.
 */
public final class Reports {

    /** What a report is and which filters it reads. */
    public record Definition(String name, String title, String description, Set<String> filters, int daysBack) {

        public boolean takes(String filter) {
            return filters.contains(filter);
        }
    }

    static final List<Definition> DEFINITIONS = List.of(
            new Definition("recovery-audit", "Recovery audit",
                    "Every recovery-key request and device unlock: when, by which way, the outcome, the helpdesk user, the end"
                            + " user, the computer, the key, the reason and how the caller's identity was verified.",
                    Set.of("from", "to", "user", "computer"), 30),
            new Definition("enterprise-compliance", "Enterprise compliance",
                    "Encrypted volumes with and without an escrowed active recovery key, by protection mode. A disclosed key"
                            + " does not count: it must be rotated first.", Set.of(), 0),
            new Definition("computer-compliance", "Computer compliance",
                    "Each volume of each computer: what its device last reported, its keys, and whether it is compliant.",
                    Set.of("computer"), 0),
            new Definition("disclosed-not-rotated", "Keys disclosed but not rotated",
                    "Recovery passwords that were read out or used and that the device has not yet replaced, oldest first.",
                    Set.of("computer"), 0),
            new Definition("not-checked-in", "Computers not checked in",
                    "Computers that have not checked in for the given number of days, or never: their disclosed keys"
                            + " cannot be rotated until they do.", Set.of("days", "computer"), 0),
            new Definition("escrow-drift", "Escrow drift",
                    "Volumes whose escrowed keys do not match the recovery password protectors the device last reported.",
                    Set.of("computer"), 0),
            new Definition("repeated-recoveries", "Repeated recoveries",
                    "Computers with repeated recoveries, flagged for post-recovery analysis.",
                    Set.of("from", "to", "computer"), 90),
            new Definition("boot-change-recoveries", "Recoveries after firmware or boot changes",
                    "Recoveries that followed a boot change (events 521, 522, 523) or a firmware version change.",
                    Set.of("from", "to", "computer"), 90),
            new Definition("unresolved-analyses", "Unresolved analyses",
                    "Post-recovery analyses still open: their root cause and resolution are not recorded yet.",
                    Set.of("computer"), 0),
            new Definition("recoveries-by-root-cause", "Recoveries by root cause",
                    "Recoveries per week or month by root cause: the analyst's finding when an analysis covers the"
                            + " recovery, else the reason recorded with it.", Set.of("from", "to", "period"), 365));

    private static final String NOT_ASSOCIATED = " is not an associated user";
    private static final Pattern DETAIL_FIELD = Pattern.compile("(?:^|; )([a-z]+): ([^;]*)");

    private final ReportRepository repository;
    private final Analyses analyses;
    private final FlaggedRecoveries flagged;
    private final RootCauseStatistics rootCauses;
    private final Clock clock;

    Reports(ReportRepository repository, Analyses analyses, FlaggedRecoveries flagged, RootCauseStatistics rootCauses, Clock clock) {
        this.repository = repository;
        this.analyses = analyses;
        this.flagged = flagged;
        this.rootCauses = rootCauses;
        this.clock = clock;
    }

    public static List<Definition> definitions() {
        return DEFINITIONS;
    }

    public static Optional<Definition> definition(String name) {
        return DEFINITIONS.stream().filter(d -> d.name().equals(name)).findFirst();
    }

    public LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    public Report build(Definition definition, ReportFilters filters) {
        return switch (definition.name()) {
            case "recovery-audit" -> recoveryAudit(definition, filters);
            case "enterprise-compliance" -> enterpriseCompliance(definition);
            case "computer-compliance" -> computerCompliance(definition, filters);
            case "disclosed-not-rotated" -> disclosedNotRotated(definition, filters);
            case "not-checked-in" -> notCheckedIn(definition, filters);
            case "escrow-drift" -> escrowDrift(definition, filters);
            case "repeated-recoveries" -> flags(definition, filters, Flag.Kind.REPEATED);
            case "boot-change-recoveries" -> flags(definition, filters, Flag.Kind.AFTER_BOOT_CHANGE);
            case "unresolved-analyses" -> unresolved(definition, filters);
            case "recoveries-by-root-cause" -> byRootCause(definition, filters);
            default -> throw new IllegalArgumentException("no report " + definition.name());
        };
    }

    // MBAM's recovery audit -----------------------------------------------------------------------

    private Report recoveryAudit(Definition d, ReportFilters f) {
        Instant from = start(f.from());
        Instant to = start(f.to().plusDays(1));
        List<List<Object>> rows = new ArrayList<>();
        for (ReportRepository.RecoveryRow r : repository.recoveries(from, to)) {
            boolean device = "device".equals(r.source());
            String helpdeskUser = device || "self-service".equals(r.source()) ? null : bareActor(r.actor());
            String endUser = device ? null : r.requester() != null ? r.requester() : bareActor(r.actor());
            String keyType = r.keyType() != null ? r.keyType() : "recovery password";
            rows.add(new ArrayList<>(Arrays.asList(r.occurredAt(), sourceLabel(r.source()),
                    device ? "unlocked (event " + r.eventId() + ")" : "success", helpdeskUser, endUser, r.computer(),
                    keyType, shortId(r.protectorId()), r.reason(), r.identityVerification())));
        }
        for (ReportRepository.AttemptRow a : repository.unsuccessfulReveals(from, to)) {
            Map<String, String> detail = detailFields(a.detail());
            boolean selfService = a.action().startsWith("self-service");
            String channel = detail.getOrDefault("channel", "");
            String source = selfService ? "self-service" : channel.startsWith("helpdesk-api") ? "api" : "helpdesk";
            String computer = detail.getOrDefault("computer",
                    a.target() != null && a.target().startsWith("computer ") ? a.target().substring("computer ".length()) : null);
            String key = a.target() != null && a.target().startsWith("key ") ? a.target().substring("key ".length()) : null;
            String requester = detail.get("requester");
            if (requester != null && requester.endsWith(NOT_ASSOCIATED)) {
                requester = requester.substring(0, requester.length() - NOT_ASSOCIATED.length()).strip();
            }
            rows.add(new ArrayList<>(Arrays.asList(a.at(), sourceLabel(source), a.outcome(), selfService ? null : bareActor(a.actor()),
                    selfService ? bareActor(a.actor()) : requester, computer,
                    a.action().endsWith("key-package") ? "key package" : "recovery password", shortId(key),
                    detail.containsKey("reason") ? detail.get("reason") : a.detail(), detail.get("identity"))));
        }
        rows.removeIf(row -> !ReportFilters.matches(f.user(), (String) row.get(3), (String) row.get(4))
                || !ReportFilters.matches(f.computer(), (String) row.get(5)));
        rows.sort((x, y) -> ((Instant) y.get(0)).compareTo((Instant) x.get(0)));
        return new Report(d.name(), d.title(), d.description(), List.of(column("requestTime", "Request time (UTC)"),
                column("source", "Source"), column("outcome", "Outcome"), column("helpdeskUser", "Helpdesk user"),
                column("endUser", "End user"), column("computer", "Computer"), column("keyType", "Key type"),
                column("passwordId", "Password ID"), column("reason", "Reason"),
                column("identityVerification", "Identity verified by")), rows);
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

    /** The "name: value; name: value" detail of a reveal's audit record. */
    static Map<String, String> detailFields(String detail) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (detail == null) {
            return fields;
        }
        Matcher m = DETAIL_FIELD.matcher(detail);
        while (m.find()) {
            fields.putIfAbsent(m.group(1), m.group(2).strip());
        }
        return fields;
    }

    // Compliance -------------------------------------------------------------------------------

    private record VolumeState(VolumeRow volume, Set<String> active, Set<String> disclosed, Set<String> reported,
            List<ActionRow> pending) {

        boolean encrypted() {
            return ProtectionMode.encrypted(volume.protectionStatus(), volume.encryptionMethod());
        }

        boolean reportedByDevice() {
            return volume.reportedAt() != null;
        }

        Set<String> notEscrowed() {
            Set<String> missing = new LinkedHashSet<>(reported);
            missing.removeAll(active);
            missing.removeAll(disclosed);
            return missing;
        }

        Set<String> goneFromDevice() {
            Set<String> gone = new LinkedHashSet<>(active);
            gone.removeAll(reported);
            return gone;
        }
    }

    private List<VolumeState> volumeStates() {
        Map<Long, List<KeyRow>> keys = repository.unretiredKeys().stream().collect(Collectors.groupingBy(KeyRow::volumeId));
        Map<Long, List<ActionRow>> actions = repository.pendingActions().stream().collect(Collectors.groupingBy(ActionRow::volumeId));
        return repository.volumes().stream().map(v -> {
            List<KeyRow> own = keys.getOrDefault(v.id(), List.of());
            Set<String> reported = v.recoveryPasswordIds() == null ? Set.of()
                    : Arrays.stream(v.recoveryPasswordIds().split(",")).map(s -> s.strip().toUpperCase(Locale.ROOT))
                            .filter(s -> !s.isEmpty()).collect(Collectors.toCollection(LinkedHashSet::new));
            return new VolumeState(v,
                    own.stream().filter(k -> k.status().equals("active")).map(KeyRow::protectorId).collect(Collectors.toSet()),
                    own.stream().filter(k -> k.status().equals("disclosed")).map(KeyRow::protectorId).collect(Collectors.toSet()),
                    reported, actions.getOrDefault(v.id(), List.of()));
        }).toList();
    }

    private Report enterpriseCompliance(Definition d) {
        Map<String, long[]> byMode = new java.util.TreeMap<>();
        long[] all = new long[4];
        for (VolumeState s : volumeStates()) {
            if (s.reportedByDevice() && !s.encrypted()) {
                continue;
            }
            long[] counts = byMode.computeIfAbsent(ProtectionMode.of(s.volume().keyProtectors()), m -> new long[4]);
            for (long[] c : List.of(counts, all)) {
                c[0]++;
                c[s.active().isEmpty() ? 2 : 1]++;
                c[3] += "off".equalsIgnoreCase(s.volume().protectionStatus()) ? 1 : 0;
            }
        }
        List<List<Object>> rows = new ArrayList<>();
        byMode.forEach((mode, c) -> rows.add(complianceRow(mode, c)));
        rows.add(complianceRow("All protection modes", all));
        return new Report(d.name(), d.title(), d.description(), List.of(column("protectionMode", "Protection mode"),
                column("encryptedVolumes", "Encrypted volumes"), column("withEscrowedKey", "With an escrowed active key"),
                column("withoutEscrowedKey", "Without an escrowed active key"), column("compliantPercent", "Compliant (%)"),
                column("protectionSuspended", "Protection suspended")), rows);
    }

    private static List<Object> complianceRow(String mode, long[] c) {
        long percent = c[0] == 0 ? 100 : Math.round(100.0 * c[1] / c[0]);
        return Arrays.asList(mode, c[0], c[1], c[2], percent, c[3]);
    }

    private Report computerCompliance(Definition d, ReportFilters f) {
        List<List<Object>> rows = new ArrayList<>();
        for (VolumeState s : volumeStates()) {
            VolumeRow v = s.volume();
            if (!ReportFilters.matches(f.computer(), v.computer())) {
                continue;
            }
            List<String> problems = new ArrayList<>();
            if (!s.reportedByDevice()) {
                problems.add("the device has not reported this volume");
            } else if (!s.encrypted()) {
                problems.add("not encrypted");
            } else if ("off".equalsIgnoreCase(v.protectionStatus())) {
                problems.add("protection suspended");
            }
            if (s.active().isEmpty()) {
                problems.add(s.disclosed().isEmpty() ? "no escrowed recovery key" : "only a disclosed key, awaiting rotation");
            }
            if (!s.notEscrowed().isEmpty()) {
                problems.add(s.notEscrowed().size() + " protector(s) on the device never escrowed");
            }
            rows.add(Arrays.asList(v.computer(), v.lastCheckin(), v.driveLabel(), v.volumeType(), v.protectionStatus(),
                    v.encryptionMethod(), ProtectionMode.of(v.keyProtectors()), s.active().size(), s.disclosed().size(),
                    problems.isEmpty() ? "yes" : "no", String.join("; ", problems)));
        }
        return new Report(d.name(), d.title(), d.description(), List.of(column("computer", "Computer"),
                column("lastCheckin", "Last check-in (UTC)"), column("driveLabel", "Volume"), column("volumeType", "Type"),
                column("protectionStatus", "Protection"), column("encryptionMethod", "Encryption method"),
                column("protectionMode", "Protection mode"), column("activeKeys", "Active keys"),
                column("disclosedKeys", "Disclosed keys"), column("compliant", "Compliant"), column("why", "Why not")), rows);
    }

    // Lifecycle ---------------------------------------------------------------------------------

    private Report disclosedNotRotated(Definition d, ReportFilters f) {
        Instant now = clock.instant();
        List<List<Object>> rows = repository.disclosedKeys().stream()
                .filter(k -> ReportFilters.matches(f.computer(), k.computer()))
                .map(k -> Arrays.<Object>asList(k.computer(), k.driveLabel(), k.volumeType(), shortId(k.protectorId()),
                        k.disclosedAt(), k.disclosedAt() == null ? null : Duration.between(k.disclosedAt(), now).toDays(),
                        k.rotationRequestedAt(), k.lastCheckin()))
                .toList();
        return new Report(d.name(), d.title(), d.description(), List.of(column("computer", "Computer"),
                column("driveLabel", "Volume"), column("volumeType", "Type"), column("passwordId", "Password ID"),
                column("disclosedAt", "Disclosed (UTC)"), column("ageDays", "Age (days)"),
                column("rotationRequestedAt", "Rotation requested (UTC)"), column("lastCheckin", "Last check-in (UTC)")), rows);
    }

    private Report notCheckedIn(Definition d, ReportFilters f) {
        Instant now = clock.instant();
        List<List<Object>> rows = repository.silentSince(now.minus(Duration.ofDays(f.days()))).stream()
                .filter(c -> ReportFilters.matches(f.computer(), c.name()))
                .map(c -> Arrays.<Object>asList(c.name(), c.domain(), c.lastCheckin(),
                        c.lastCheckin() == null ? null : Duration.between(c.lastCheckin(), now).toDays(), c.volumes(), c.activeKeys(),
                        c.disclosedKeys()))
                .toList();
        return new Report(d.name(), d.title() + " for " + f.days() + " days", d.description(), List.of(
                column("computer", "Computer"), column("domain", "Domain"), column("lastCheckin", "Last check-in (UTC, empty: never)"),
                column("daysSilent", "Days since"), column("volumes", "Volumes"), column("activeKeys", "Active keys"),
                column("disclosedKeys", "Disclosed keys awaiting rotation")), rows);
    }

    private Report escrowDrift(Definition d, ReportFilters f) {
        List<List<Object>> rows = new ArrayList<>();
        for (VolumeState s : volumeStates()) {
            VolumeRow v = s.volume();
            List<String> pendingEscrow = s.pending().stream().filter(a -> a.kind().equals("escrow")).map(a -> shortId(a.protectorId()))
                    .toList();
            Set<String> notEscrowed = s.reportedByDevice() ? s.notEscrowed() : Set.of();
            Set<String> gone = s.reportedByDevice() ? s.goneFromDevice() : Set.of();
            if ((notEscrowed.isEmpty() && gone.isEmpty() && pendingEscrow.isEmpty()) || !ReportFilters.matches(f.computer(), v.computer())) {
                continue;
            }
            rows.add(Arrays.asList(v.computer(), v.driveLabel(), v.volumeType(), v.reportedAt(),
                    shortIds(notEscrowed), shortIds(gone), String.join(" ", pendingEscrow)));
        }
        return new Report(d.name(), d.title(), d.description(), List.of(column("computer", "Computer"),
                column("driveLabel", "Volume"), column("volumeType", "Type"), column("reportedAt", "Reported (UTC)"),
                column("onDeviceNotEscrowed", "On the device, never escrowed"),
                column("escrowedNotOnDevice", "Escrowed as active, gone from the device"),
                column("escrowRequested", "Escrow requested from the device")), rows);
    }

    // Post-recovery analysis ---------------------------------------------------------------------

    private Report flags(Definition d, ReportFilters f, Flag.Kind kind) {
        Map<Long, List<Analysis>> analysesOf = new LinkedHashMap<>();
        List<List<Object>> rows = new ArrayList<>();
        List<Flag> flags = flagged.between(start(f.from()), start(f.to().plusDays(1)), kind);
        Set<Long> seen = new LinkedHashSet<>();
        for (Flag flag : flags) {
            if (!ReportFilters.matches(f.computer(), flag.computerName())) {
                continue;
            }
            if (kind == Flag.Kind.REPEATED && !seen.add(flag.computerId())) {
                continue; // one row per computer: its latest repeated recovery
            }
            Optional<Analysis> latest = analysesOf.computeIfAbsent(flag.computerId(), analyses::ofComputer).stream().findFirst();
            rows.add(Arrays.asList(flag.computerName(), flag.recovery().at(), flag.description(), flag.recovery().recordedReason(),
                    flag.recovery().sources(), latest.map(Analysis::state).orElse("none"), latest.map(Analysis::rootCause).orElse(null)));
        }
        return new Report(d.name(), d.title(), d.description(), List.of(column("computer", "Computer"),
                column("recoveredAt", kind == Flag.Kind.REPEATED ? "Latest recovery (UTC)" : "Recovery (UTC)"),
                column("why", kind == Flag.Kind.REPEATED ? "Recoveries" : "Change before it"),
                column("reason", "Recorded reason"), column("sources", "Seen by"), column("analysis", "Latest analysis"),
                column("rootCause", "Root cause")), rows);
    }

    private Report unresolved(Definition d, ReportFilters f) {
        Instant now = clock.instant();
        List<List<Object>> rows = analyses.unresolved().stream()
                .filter(a -> ReportFilters.matches(f.computer(), a.computerName()))
                .map(a -> Arrays.<Object>asList(a.id(), a.computerName(), a.openedAt(), Duration.between(a.openedAt(), now).toDays(),
                        a.openedBecause()))
                .toList();
        return new Report(d.name(), d.title(), d.description(), List.of(column("analysis", "Analysis"),
                column("computer", "Computer"), column("openedAt", "Opened (UTC)"), column("ageDays", "Open for (days)"),
                column("openedBecause", "Opened because")), rows);
    }

    private Report byRootCause(Definition d, ReportFilters f) {
        List<List<Object>> rows = rootCauses.byRootCause(f.from(), f.to(), f.period()).stream()
                .map(c -> Arrays.<Object>asList(c.period(), c.rootCause(), c.recoveries()))
                .toList();
        return new Report(d.name(), d.title() + " per " + f.period().name().toLowerCase(Locale.ROOT), d.description(),
                List.of(column("period", f.period() == Period.WEEK ? "Week" : "Month"),
                        column("rootCause", "Root cause"), column("recoveries", "Recoveries")), rows);
    }

    // -------------------------------------------------------------------------------------------

    private static Instant start(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The 8 hex digits the recovery screen shows, of a protector ID in any of its written forms. */
    static String shortId(String protectorId) {
        if (protectorId == null) {
            return null;
        }
        String hex = protectorId.replaceAll("[^0-9A-Fa-f]", "").toUpperCase(Locale.ROOT);
        return hex.length() >= 8 ? hex.substring(0, 8) : hex;
    }

    private static String shortIds(Set<String> ids) {
        return ids.stream().map(Reports::shortId).collect(Collectors.joining(" "));
    }

}
