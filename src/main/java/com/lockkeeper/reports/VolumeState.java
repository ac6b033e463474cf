package com.lockkeeper.reports;

import com.lockkeeper.reports.ReportRepository.ActionRow;
import com.lockkeeper.reports.ReportRepository.KeyRow;
import com.lockkeeper.reports.ReportRepository.VolumeRow;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A volume with its escrowed keys, the protectors its device last reported and its pending device
 * actions. {@code lastVerified}: when the device last showed it holds an active key's password
 * (null: never); {@code differing}: keys whose escrowed password the device reported differs.
 */
record VolumeState(VolumeRow volume, Set<String> active, Set<String> disclosed, Set<String> reported, List<ActionRow> pending,
        Instant lastVerified, Set<String> differing) {

    /** Every volume, as the database holds it now. */
    static List<VolumeState> all(ReportRepository repository) {
        Map<Long, List<KeyRow>> keys = repository.unretiredKeys().stream().collect(Collectors.groupingBy(KeyRow::volumeId));
        Map<Long, List<ActionRow>> actions = repository.pendingActions().stream().collect(Collectors.groupingBy(ActionRow::volumeId));
        return repository.volumes().stream().map(v -> {
            List<KeyRow> own = keys.getOrDefault(v.id(), List.of());
            Instant lastVerified = own.stream().filter(k -> k.status().equals("active")).map(KeyRow::verifiedAt)
                    .filter(Objects::nonNull).max(Comparator.naturalOrder()).orElse(null);
            Set<String> differing = own.stream().filter(k -> k.differsSince() != null).map(KeyRow::protectorId)
                    .collect(Collectors.toCollection(LinkedHashSet::new));
            return new VolumeState(v, protectorsIn(own, "active"), protectorsIn(own, "disclosed"), reportedBy(v),
                    actions.getOrDefault(v.id(), List.of()), lastVerified, differing);
        }).toList();
    }

    /** Whether an active key's password was verified by the device at or after {@code since}. */
    boolean verifiedSince(Instant since) {
        return lastVerified != null && !lastVerified.isBefore(since);
    }

    private static Set<String> protectorsIn(List<KeyRow> keys, String status) {
        return keys.stream().filter(k -> k.status().equals(status)).map(KeyRow::protectorId).collect(Collectors.toSet());
    }

    private static Set<String> reportedBy(VolumeRow v) {
        return v.recoveryPasswordIds() == null ? Set.of()
                : Arrays.stream(v.recoveryPasswordIds().split(",")).map(s -> s.strip().toUpperCase(Locale.ROOT))
                        .filter(s -> !s.isEmpty()).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    boolean encrypted() {
        return ProtectionMode.encrypted(volume.protectionStatus(), volume.encryptionMethod());
    }

    boolean reportedByDevice() {
        return volume.reportedAt() != null;
    }

    boolean protectionSuspended() {
        return "off".equalsIgnoreCase(volume.protectionStatus());
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
