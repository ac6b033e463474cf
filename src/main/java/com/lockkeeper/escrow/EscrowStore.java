package com.lockkeeper.escrow;

import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.computers.ComputerRepository;
import com.lockkeeper.computers.ComputerRepository.VolumeRow;
import com.lockkeeper.computers.NewKey;
import com.lockkeeper.computers.RecoveryKeyRepository;
import com.lockkeeper.computers.UserSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Writes new escrows many at a time (computers, volumes, users, then keys, each in one JDBC batch),
 * inside the caller's transaction: the import writes a thousand lines at once, the API a group of
 * concurrent requests. Rows go in a fixed order (by computer name, volume, protector ID) so that
 * two nodes writing overlapping groups take their locks in the same order.
 */
final class EscrowStore {

    private final ComputerRepository computers;
    private final RecoveryKeyRepository keys;

    EscrowStore(ComputerRepository computers, RecoveryKeyRepository keys) {
        this.computers = computers;
        this.keys = keys;
    }

    /**
     * What a group of new escrows stored: the keys actually inserted (another node may have won a
     * race), and the users associated with each computer, by computer name.
     */
    record Stored(Set<ProtectorId> inserted, Map<String, List<String>> associatedUsers) {
    }

    /**
     * One escrow to store: the device that sent it (may be null), whether that device is not
     * approved for the computer (the key is marked, the volume left as it is), and where the
     * reported users come from (null: they are not associated).
     */
    record Entry(SealedEscrow escrow, Long deviceId, boolean unapproved, UserSource users) {

        static Entry imported(SealedEscrow escrow) {
            return new Entry(escrow, null, false, UserSource.IMPORT);
        }
    }

    /**
     * Stores escrows whose protector IDs were not found. {@code moveVolumes}: a volume held for
     * another computer moves to the escrow's (an import file); otherwise the caller has made sure
     * none is, and {@link com.lockkeeper.computers.VolumeOfAnotherComputerException} says it changed meanwhile.
     */
    Stored insertNew(Collection<Entry> escrows, Instant now, boolean moveVolumes) {
        if (escrows.isEmpty()) {
            return new Stored(Set.of(), Map.of());
        }
        List<Entry> ordered = new ArrayList<>(escrows);
        ordered.sort(Comparator.comparing((Entry e) -> e.escrow().command().computer().name())
                .thenComparing(e -> e.escrow().command().volumeId().uuid()).thenComparing(e -> e.escrow().id().hex()));
        Map<String, Long> computerIds = computers.upsertComputers(ordered.stream().map(e -> e.escrow().command().computer()).toList(),
                now);
        Map<UUID, Long> volumeIds = computers.upsertVolumes(ordered.stream().map(e -> new VolumeRow(
                computerIds.get(e.escrow().command().computer().name()), e.escrow().command().volumeId(),
                e.escrow().command().volumeType(), e.escrow().command().driveLabel(), !e.unapproved())).toList(), now, moveVolumes);
        Map<UserSource, Map<Long, List<String>>> users = new EnumMap<>(UserSource.class);
        for (Entry e : ordered) {
            if (e.users() != null && !e.unapproved()) {
                users.computeIfAbsent(e.users(), source -> new TreeMap<>())
                        .computeIfAbsent(computerIds.get(e.escrow().command().computer().name()), id -> new ArrayList<>())
                        .addAll(e.escrow().command().users());
            }
        }
        Map<Long, List<String>> associated = new TreeMap<>();
        users.forEach((source, byComputer) -> computers.associateUsers(byComputer, source, now)
                .forEach((id, added) -> associated.computeIfAbsent(id, x -> new ArrayList<>()).addAll(added)));
        Map<String, List<String>> associatedByName = new TreeMap<>();
        computerIds.forEach((name, id) -> {
            if (associated.containsKey(id)) {
                associatedByName.put(name, associated.get(id));
            }
        });
        Set<ProtectorId> inserted = keys.insertAllIfAbsent(ordered.stream().map(e -> new NewKey(e.escrow().id(),
                volumeIds.get(e.escrow().command().volumeId().uuid()),
                e.escrow().command().createdAt() == null ? now : e.escrow().command().createdAt(), now,
                e.escrow().password(), e.escrow().keyPackage(), e.escrow().fingerprint(), e.deviceId(), e.unapproved())).toList());
        return new Stored(inserted, associatedByName);
    }
}
