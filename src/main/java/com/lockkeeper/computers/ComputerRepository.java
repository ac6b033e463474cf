package com.lockkeeper.computers;

import static com.lockkeeper.support.DbTime.toDb;

import com.lockkeeper.bitlocker.ComputerName;
import com.lockkeeper.bitlocker.DriveLabel;
import com.lockkeeper.bitlocker.VolumeId;
import com.lockkeeper.bitlocker.VolumeType;
import com.lockkeeper.support.InLists;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/** SQL for computers, their volumes and associated users. */
public class ComputerRepository {

    private final JdbcClient jdbc;
    private final JdbcTemplate batches;

    ComputerRepository(JdbcClient jdbc, JdbcTemplate batches) {
        this.jdbc = jdbc;
        this.batches = batches;
    }

    /** The computer's row id, creating the computer if it is new; a newly learnt domain is kept. */
    public long upsertComputer(ComputerName computer, Instant now) {
        String domain = computer.domain().orElse(null);
        jdbc.sql("""
                        INSERT INTO computer (name, domain, created_at, updated_at) VALUES (:name, :domain, :now, :now)
                        ON CONFLICT DO NOTHING""")
                .param("name", computer.name())
                .param("domain", domain)
                .param("now", toDb(now))
                .update();
        if (domain != null) {
            jdbc.sql("""
                            UPDATE computer SET domain = :domain, updated_at = :now
                            WHERE name = :name AND (domain IS NULL OR domain <> :domain)""")
                    .param("domain", domain)
                    .param("now", toDb(now))
                    .param("name", computer.name())
                    .update();
        }
        return jdbc.sql("SELECT id FROM computer WHERE name = :name").param("name", computer.name()).query(Long.class).single();
    }

    /**
     * The volume's row id, creating it if new; its type and label follow the latest report. A
     * volume held for another computer is not moved: {@link VolumeOfAnotherComputerException}
     * (an administrator moves volumes, with `lockkeeper device move-volume`).
     */
    public long upsertVolume(long computerId, VolumeId volume, VolumeType type, DriveLabel label, Instant now) {
        String labelText = label == null ? null : label.value();
        jdbc.sql("""
                        INSERT INTO volume (volume_guid, computer_id, volume_type, drive_label, created_at, updated_at)
                        VALUES (:guid, :computer, :type, :label, :now, :now)
                        ON CONFLICT DO NOTHING""")
                .param("guid", volume.uuid())
                .param("computer", computerId)
                .param("type", type.apiName())
                .param("label", labelText)
                .param("now", toDb(now))
                .update();
        long[] row = jdbc.sql("SELECT id, computer_id FROM volume WHERE volume_guid = :guid").param("guid", volume.uuid())
                .query((rs, n) -> new long[] {rs.getLong("id"), rs.getLong("computer_id")}).single();
        if (row[1] != computerId) {
            throw new VolumeOfAnotherComputerException(volume, computerName(computerId));
        }
        String changed = "volume_type <> :type";
        String setLabel = "";
        if (labelText != null) {
            changed += " OR drive_label IS NULL OR drive_label <> :label";
            setLabel = ", drive_label = :label";
        }
        var update = jdbc.sql("UPDATE volume SET volume_type = :type" + setLabel
                        + ", updated_at = :now WHERE id = :id AND (" + changed + ")")
                .param("type", type.apiName())
                .param("now", toDb(now))
                .param("id", row[0]);
        if (labelText != null) {
            update = update.param("label", labelText);
        }
        update.update();
        return row[0];
    }

    private String computerName(long computerId) {
        return jdbc.sql("SELECT name FROM computer WHERE id = :id").param("id", computerId).query(String.class).single();
    }

    /** The computer (name) each of these volumes is held for; a volume not known is absent. */
    public Map<UUID, String> volumeOwners(Collection<UUID> guids) {
        Map<UUID, String> owners = new HashMap<>();
        if (guids.isEmpty()) {
            return owners;
        }
        for (List<UUID> some : InLists.of(new HashSet<>(guids))) {
            jdbc.sql("SELECT v.volume_guid, c.name FROM volume v JOIN computer c ON c.id = v.computer_id WHERE v.volume_guid IN (:guids)")
                    .param("guids", some)
                    .query(rs -> {
                        owners.put(rs.getObject("volume_guid", UUID.class), rs.getString("name"));
                    });
        }
        return owners;
    }

    /**
     * Moves a volume, with its keys and pending actions, to another computer: the admin's answer
     * when a disk really moved. Answers the computer it was held for, or empty if the volume is unknown.
     */
    public java.util.Optional<String> moveVolume(VolumeId volume, long toComputerId, Instant now) {
        java.util.Optional<String> from = java.util.Optional.ofNullable(volumeOwners(List.of(volume.uuid())).get(volume.uuid()));
        if (from.isPresent()) {
            jdbc.sql("UPDATE volume SET computer_id = :computer, updated_at = :now WHERE volume_guid = :guid")
                    .param("computer", toComputerId).param("now", toDb(now)).param("guid", volume.uuid()).update();
        }
        return from;
    }

    /**
     * The row ids of many computers at once, creating the new ones in one batch; for computers that
     * exist already a newly learnt domain is kept, as {@link #upsertComputer} does.
     */
    public Map<String, Long> upsertComputers(Collection<ComputerName> computers, Instant now) {
        Map<String, ComputerName> byName = new LinkedHashMap<>();
        computers.forEach(computer -> byName.putIfAbsent(computer.name(), computer));
        Map<String, Long> ids = computerIds(byName.keySet());
        List<Object[]> fresh = new ArrayList<>();
        List<Object[]> domains = new ArrayList<>();
        for (ComputerName computer : byName.values()) {
            if (!ids.containsKey(computer.name())) {
                fresh.add(new Object[] {computer.name(), computer.domain().orElse(null), toDb(now), toDb(now)});
            } else if (computer.domain().isPresent()) {
                String domain = computer.domain().get();
                domains.add(new Object[] {domain, toDb(now), computer.name(), domain});
            }
        }
        if (!domains.isEmpty()) {
            batches.batchUpdate("UPDATE computer SET domain = ?, updated_at = ? WHERE name = ? AND (domain IS NULL OR domain <> ?)",
                    domains);
        }
        if (fresh.isEmpty()) {
            return ids;
        }
        batches.batchUpdate("INSERT INTO computer (name, domain, created_at, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                fresh);
        return computerIds(byName.keySet());
    }

    /**
     * A volume as an escrow names it, for {@link #upsertVolumes}. {@code updates}: when the volume
     * exists, its type and label follow this escrow (not so for an escrow from a device that is not approved).
     */
    public record VolumeRow(long computerId, VolumeId volume, VolumeType type, DriveLabel label, boolean updates) {
    }

    /**
     * The row ids of many volumes at once (by volume GUID), creating the new ones in one batch; a
     * volume that exists follows the latest escrow's type and label. {@code move}: also its
     * computer (an admin's import file); otherwise a volume held for another computer is not
     * touched and {@link VolumeOfAnotherComputerException} is thrown (callers check first, with
     * {@link #volumeOwners}; this catches another transaction creating it in between). A row of
     * {@link VolumeType#UNKNOWN} type (a key imported from a directory) only creates a volume that
     * is new, and leaves an existing one as its device reported it.
     */
    public Map<UUID, Long> upsertVolumes(Collection<VolumeRow> volumes, Instant now, boolean move) {
        Map<UUID, VolumeRow> byGuid = new LinkedHashMap<>();
        volumes.forEach(volume -> byGuid.put(volume.volume().uuid(), volume));
        Map<UUID, Long> ids = volumeIds(byGuid.keySet());
        List<Object[]> fresh = new ArrayList<>();
        List<Object[]> labelled = new ArrayList<>();
        List<Object[]> unlabelled = new ArrayList<>();
        String sameComputer = move ? "" : " AND computer_id = ?";
        for (VolumeRow volume : byGuid.values()) {
            if (ids.containsKey(volume.volume().uuid())) {
                if (!volume.updates() || !volume.type().known()) {
                    continue; // a key imported from a directory never moves or retypes a volume a device reported
                }
                String type = volume.type().apiName();
                if (volume.label() == null) {
                    unlabelled.add(withComputer(move, new Object[] {volume.computerId(), type, toDb(now), volume.volume().uuid(),
                            volume.computerId(), type}, volume.computerId()));
                } else {
                    String label = volume.label().value();
                    labelled.add(withComputer(move, new Object[] {volume.computerId(), type, label, toDb(now), volume.volume().uuid(),
                            volume.computerId(), type, label}, volume.computerId()));
                }
            } else {
                fresh.add(new Object[] {volume.volume().uuid(), volume.computerId(), volume.type().apiName(),
                        volume.label() == null ? null : volume.label().value(), toDb(now), toDb(now)});
            }
        }
        if (!unlabelled.isEmpty()) {
            batches.batchUpdate("UPDATE volume SET computer_id = ?, volume_type = ?, updated_at = ? WHERE volume_guid = ?"
                    + " AND (computer_id <> ? OR volume_type <> ?)" + sameComputer, unlabelled);
        }
        if (!labelled.isEmpty()) {
            batches.batchUpdate("UPDATE volume SET computer_id = ?, volume_type = ?, drive_label = ?, updated_at = ? WHERE volume_guid = ?"
                    + " AND (computer_id <> ? OR volume_type <> ? OR drive_label IS NULL OR drive_label <> ?)" + sameComputer, labelled);
        }
        if (!fresh.isEmpty()) {
            batches.batchUpdate("""
                    INSERT INTO volume (volume_guid, computer_id, volume_type, drive_label, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""", fresh);
            ids = volumeIds(byGuid.keySet());
        }
        if (!move) {
            Map<UUID, Long> owners = ownerIds(byGuid.keySet());
            for (VolumeRow volume : byGuid.values()) {
                Long owner = owners.get(volume.volume().uuid());
                if (owner != null && owner != volume.computerId()) {
                    throw new VolumeOfAnotherComputerException(volume.volume(), computerName(volume.computerId()));
                }
            }
        }
        return ids;
    }

    private static Object[] withComputer(boolean move, Object[] row, long computerId) {
        if (move) {
            return row;
        }
        Object[] extended = java.util.Arrays.copyOf(row, row.length + 1);
        extended[row.length] = computerId;
        return extended;
    }

    /**
     * Associates reported users with computers, recording where they came from, by the rule of
     * that source. {@link UserSource#DEVICE} (an approved device for its own computer): users not
     * associated yet are added, as long as every association the computer has came from devices;
     * an administrator's, the directory's or an import's are never widened. Any other source (an
     * escrow made with an enrollment token, which any holder may send for any computer name; an
     * import): only a computer that has no associated user yet gets them. Nothing is ever removed.
     * Accounts compare case-insensitively, as Windows does. Answers the users associated, per computer.
     */
    public Map<Long, List<String>> associateUsers(Map<Long, ? extends Collection<String>> accountsByComputer, UserSource source,
            Instant now) {
        Map<Long, List<String>> added = new TreeMap<>();
        if (accountsByComputer.isEmpty()) {
            return added;
        }
        Map<Long, List<String[]>> existing = new HashMap<>();
        for (List<Long> some : InLists.of(accountsByComputer.keySet())) {
            jdbc.sql("SELECT computer_id, account, source FROM computer_user WHERE computer_id IN (:ids)")
                    .param("ids", some)
                    .query(rs -> {
                        existing.computeIfAbsent(rs.getLong("computer_id"), id -> new ArrayList<>())
                                .add(new String[] {rs.getString("account"), rs.getString("source")});
                    });
        }
        List<Object[]> rows = new ArrayList<>();
        accountsByComputer.forEach((computerId, accounts) -> {
            List<String[]> current = existing.getOrDefault(computerId, List.of());
            boolean mayAdd = source == UserSource.DEVICE
                    ? current.stream().noneMatch(row -> isProtected(row[1]))
                    : current.isEmpty();
            if (!mayAdd) {
                return;
            }
            Set<String> seen = new HashSet<>();
            current.forEach(row -> seen.add(row[0].toLowerCase(Locale.ROOT)));
            for (String account : accounts) {
                if (seen.add(account.toLowerCase(Locale.ROOT))) {
                    rows.add(new Object[] {computerId, account, toDb(now), source.dbValue(), computerId, account});
                    added.computeIfAbsent(computerId, id -> new ArrayList<>()).add(account);
                }
            }
        });
        if (!rows.isEmpty()) {
            batches.batchUpdate("""
                    INSERT INTO computer_user (computer_id, account, added_at, source)
                    SELECT ?, ?, ?, ? WHERE NOT EXISTS (
                        SELECT 1 FROM computer_user WHERE computer_id = ? AND LOWER(account) = LOWER(?))""", rows);
        }
        return added;
    }

    private static boolean isProtected(String source) {
        for (UserSource known : UserSource.values()) {
            if (known.dbValue().equals(source)) {
                return known.protectedFromDevices();
            }
        }
        return true;
    }

    private Map<String, Long> computerIds(Collection<String> names) {
        Map<String, Long> ids = new HashMap<>();
        for (List<String> some : InLists.of(names)) {
            jdbc.sql("SELECT id, name FROM computer WHERE name IN (:names)").param("names", some)
                    .query(rs -> {
                        ids.put(rs.getString("name"), rs.getLong("id"));
                    });
        }
        return ids;
    }

    private Map<UUID, Long> ownerIds(Collection<UUID> guids) {
        Map<UUID, Long> owners = new HashMap<>();
        for (List<UUID> some : InLists.of(guids)) {
            jdbc.sql("SELECT computer_id, volume_guid FROM volume WHERE volume_guid IN (:guids)").param("guids", some)
                    .query(rs -> {
                        owners.put(rs.getObject("volume_guid", UUID.class), rs.getLong("computer_id"));
                    });
        }
        return owners;
    }

    private Map<UUID, Long> volumeIds(Collection<UUID> guids) {
        Map<UUID, Long> ids = new HashMap<>();
        for (List<UUID> some : InLists.of(guids)) {
            jdbc.sql("SELECT id, volume_guid FROM volume WHERE volume_guid IN (:guids)").param("guids", some)
                    .query(rs -> {
                        ids.put(rs.getObject("volume_guid", UUID.class), rs.getLong("id"));
                    });
        }
        return ids;
    }

    public long count() {
        return jdbc.sql("SELECT COUNT(*) FROM computer").query(Long.class).single();
    }

    public java.util.Optional<Long> computerId(String name) {
        return jdbc.sql("SELECT id FROM computer WHERE name = :name").param("name", name).query(Long.class).optional();
    }

    public void recordCheckin(long computerId, Instant now) {
        jdbc.sql("UPDATE computer SET last_checkin_at = :now WHERE id = :id").param("now", toDb(now)).param("id", computerId).update();
    }

    /** What a device said of a volume at its check-in; lists are stored comma-separated. */
    public record VolumeReport(String protectionStatus, String encryptionMethod, List<String> keyProtectors,
            List<String> recoveryPasswordIdsHex) {
    }

    public void recordVolumeReport(long volumeRowId, VolumeReport report, Instant now) {
        jdbc.sql("""
                        UPDATE volume SET protection_status = :status, encryption_method = :method, key_protectors = :protectors,
                               recovery_password_ids = :ids, reported_at = :now
                        WHERE id = :id""")
                .param("status", report.protectionStatus())
                .param("method", report.encryptionMethod())
                .param("protectors", String.join(",", report.keyProtectors()))
                .param("ids", String.join(",", report.recoveryPasswordIdsHex()))
                .param("now", toDb(now))
                .param("id", volumeRowId)
                .update();
    }

    /** The volume's row id, if it is known. */
    public java.util.Optional<Long> volumeRowId(VolumeId volume) {
        return jdbc.sql("SELECT id FROM volume WHERE volume_guid = :guid").param("guid", volume.uuid()).query(Long.class).optional();
    }
}
