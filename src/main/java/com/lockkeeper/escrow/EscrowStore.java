package com.lockkeeper.escrow;

import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.computers.ComputerRepository;
import com.lockkeeper.computers.ComputerRepository.VolumeRow;
import com.lockkeeper.computers.NewKey;
import com.lockkeeper.computers.RecoveryKeyRepository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
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
     * race), and the users associated with each computer, by computer name (only a computer that
     * had none gets the users its device reported).
     */
    record Stored(Set<ProtectorId> inserted, Map<String, List<String>> associatedUsers) {
    }

    /** Stores escrows whose protector IDs were not found. */
    Stored insertNew(Collection<SealedEscrow> escrows, Instant now) {
        if (escrows.isEmpty()) {
            return new Stored(Set.of(), Map.of());
        }
        List<SealedEscrow> ordered = new ArrayList<>(escrows);
        ordered.sort(Comparator.comparing((SealedEscrow e) -> e.command().computer().name())
                .thenComparing(e -> e.command().volumeId().uuid()).thenComparing(e -> e.id().hex()));
        Map<String, Long> computerIds = computers.upsertComputers(ordered.stream().map(e -> e.command().computer()).toList(), now);
        Map<UUID, Long> volumeIds = computers.upsertVolumes(ordered.stream().map(e -> new VolumeRow(
                computerIds.get(e.command().computer().name()), e.command().volumeId(), e.command().volumeType(),
                e.command().driveLabel())).toList(), now);
        Map<Long, List<String>> users = new TreeMap<>();
        ordered.stream().filter(e -> !e.command().users().isEmpty()) // a directory import names no users
                .forEach(e -> users.computeIfAbsent(computerIds.get(e.command().computer().name()), id -> new ArrayList<>())
                        .addAll(e.command().users()));
        Map<Long, List<String>> associated = computers.associateFirstUsers(users, now);
        Map<String, List<String>> associatedByName = new TreeMap<>();
        computerIds.forEach((name, id) -> {
            if (associated.containsKey(id)) {
                associatedByName.put(name, associated.get(id));
            }
        });
        Set<ProtectorId> inserted = keys.insertAllIfAbsent(ordered.stream().map(e -> new NewKey(e.id(),
                volumeIds.get(e.command().volumeId().uuid()), e.command().createdAt() == null ? now : e.command().createdAt(), now,
                e.password(), e.keyPackage(), e.fingerprint())).toList());
        return new Stored(inserted, associatedByName);
    }
}
