package com.lockkeeper.computers;

import static com.lockkeeper.support.DbTime.read;
import static com.lockkeeper.support.DbTime.toDb;

import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.VolumeId;
import com.lockkeeper.keys.SealedRecord;
import com.lockkeeper.support.InLists;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** SQL for recovery keys. Secrets go in and come out sealed; this class never sees a password. */
public class RecoveryKeyRepository {

    private static final String SELECT = """
            SELECT k.id, k.protector_id, v.volume_guid, COALESCE(k.sealed_volume_guid, v.volume_guid) AS sealed_guid,
                   k.status, k.created_at, k.escrowed_at, s.format_version,
                   s.epoch_id, s.password_ct, s.key_package_epoch_id, s.key_package_ct, k.fingerprint, k.device_verifier
            FROM recovery_key k JOIN volume v ON v.id = k.volume_id JOIN key_secret s ON s.key_id = k.id
            """;

    // Only keys sealed to their own volume: a verifier is computed over the volume the device has.
    private static final String FINGERPRINTS = """
            SELECT k.id, k.protector_id, k.volume_id, v.volume_guid, k.status, k.fingerprint, k.verified_at, k.device_verifier,
                   k.differs_at
            FROM recovery_key k JOIN volume v ON v.id = k.volume_id
            """;

    private static final String SEALED = """
            SELECT k.id, k.protector_id, COALESCE(k.sealed_volume_guid, v.volume_guid) AS sealed_guid, s.format_version,
                   s.epoch_id, s.password_ct,
                   s.key_package_epoch_id, s.key_package_ct
            FROM recovery_key k JOIN volume v ON v.id = k.volume_id JOIN key_secret s ON s.key_id = k.id
            """;

    /** Only while the row still holds what was read: a concurrent key package addition is not overwritten. */
    private static final String REPLACE_SEALED = """
            UPDATE key_secret SET format_version = ?, epoch_id = ?, password_ct = ?, key_package_epoch_id = ?, key_package_ct = ?
            WHERE key_id = ? AND epoch_id = ? AND key_package_epoch_id IS NOT DISTINCT FROM ?""";

    private static final String STATE = """
            SELECT k.id, k.protector_id, k.volume_id, v.volume_guid, v.computer_id, k.status
            FROM recovery_key k JOIN volume v ON v.id = k.volume_id
            """;

    private static final String INSERT = """
            INSERT INTO recovery_key (protector_id, volume_id, status, created_at, escrowed_at, fingerprint, device_id, unapproved)
            VALUES (:protector, :volume, 'active', :createdAt, :escrowedAt, :fingerprint, :device, :unapproved)
            ON CONFLICT DO NOTHING""";

    /** The secrets of a key row just inserted (in the same transaction), found by its protector ID. */
    private static final String INSERT_SECRETS = """
            INSERT INTO key_secret (key_id, format_version, epoch_id, password_ct, key_package_epoch_id, key_package_ct)
            SELECT id, :format, :epoch, :password, :packageEpoch, :package FROM recovery_key WHERE protector_id = :protector""";

    private final JdbcClient jdbc;
    private final JdbcTemplate plainBatches;
    private final NamedParameterJdbcTemplate batches;

    RecoveryKeyRepository(JdbcClient jdbc, JdbcTemplate batches) {
        this.jdbc = jdbc;
        this.plainBatches = batches;
        this.batches = new NamedParameterJdbcTemplate(batches);
    }

    public Optional<StoredKey> byProtectorId(ProtectorId id) {
        return jdbc.sql(SELECT + "WHERE k.protector_id = :id").param("id", id.hex()).query(RecoveryKeyRepository::key).optional();
    }

    /**
     * Inserts many keys in one batch; a key whose protector ID is stored already is skipped.
     * Answers the protector IDs that were inserted (the JDBC batch reports a count per row; our
     * drivers are not set to rewrite batches, which would hide the counts).
     */
    public Set<ProtectorId> insertAllIfAbsent(List<NewKey> newKeys) {
        SqlParameterSource[] rows = newKeys.stream().map(RecoveryKeyRepository::parameters).toArray(SqlParameterSource[]::new);
        int[] counts = batches.batchUpdate(INSERT, rows);
        Set<ProtectorId> inserted = new HashSet<>();
        List<SqlParameterSource> secrets = new java.util.ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] != 0) {
                inserted.add(newKeys.get(i).protectorId());
                secrets.add(rows[i]);
            }
        }
        if (!secrets.isEmpty()) {
            batches.batchUpdate(INSERT_SECRETS, secrets.toArray(SqlParameterSource[]::new));
        }
        return inserted;
    }

    /** The stored keys among these protector IDs, by ID. */
    public Map<ProtectorId, StoredKey> byProtectorIds(Collection<ProtectorId> ids) {
        Map<ProtectorId, StoredKey> found = new HashMap<>();
        if (ids.isEmpty()) {
            return found;
        }
        for (List<String> some : InLists.of(ids.stream().map(ProtectorId::hex).toList())) {
            jdbc.sql(SELECT + "WHERE k.protector_id IN (:ids)").param("ids", some)
                    .query(RecoveryKeyRepository::key).list().forEach(key -> found.put(key.protectorId(), key));
        }
        return found;
    }

    private static SqlParameterSource parameters(NewKey key) {
        SealedRecord password = key.password();
        SealedRecord keyPackage = key.keyPackage();
        return new MapSqlParameterSource()
                .addValue("protector", key.protectorId().hex())
                .addValue("volume", key.volumeRowId())
                .addValue("createdAt", toDb(key.createdAt()))
                .addValue("escrowedAt", toDb(key.escrowedAt()))
                .addValue("format", password.formatVersion())
                .addValue("epoch", password.epochId())
                .addValue("password", password.ciphertext())
                .addValue("packageEpoch", keyPackage == null ? null : keyPackage.epochId())
                .addValue("package", keyPackage == null ? null : keyPackage.ciphertext())
                .addValue("fingerprint", key.fingerprint())
                .addValue("device", key.deviceId(), java.sql.Types.BIGINT)
                .addValue("unapproved", key.unapproved());
    }

    /** The keys a device escrowed before it was approved are no longer marked; answers how many. */
    public int approveKeysOf(long deviceId) {
        return jdbc.sql("UPDATE recovery_key SET unapproved = FALSE WHERE device_id = :device AND unapproved = TRUE")
                .param("device", deviceId).update();
    }

    /** Adds a key package to a key stored without one; never replaces one. */
    public boolean addKeyPackageIfMissing(long keyId, SealedRecord keyPackage) {
        return jdbc.sql("""
                        UPDATE key_secret SET key_package_epoch_id = :epoch, key_package_ct = :package
                        WHERE key_id = :id AND key_package_ct IS NULL AND format_version = :format""")
                .param("epoch", keyPackage.epochId())
                .param("package", keyPackage.ciphertext())
                .param("id", keyId)
                .param("format", keyPackage.formatVersion())
                .update() == 1;
    }

    /** The most recently escrowed keys not purged, newest first, as `lockkeeper verify` checks them. */
    public List<StoredKey> latestEscrowed(int limit) {
        return jdbc.sql(SELECT + "WHERE k.purged_at IS NULL ORDER BY k.escrowed_at DESC, k.id DESC LIMIT :limit")
                .param("limit", limit).query(RecoveryKeyRepository::key).list();
    }

    /** The sealed secrets of the keys with a row id above {@code afterId}, in id order: the re-encryption walks the table with this. */
    public List<SealedKey> sealedAfter(long afterId, int limit) {
        return jdbc.sql(SEALED + "WHERE k.id > :after AND k.purged_at IS NULL ORDER BY k.id LIMIT :limit")
                .param("after", afterId).param("limit", limit).query(RecoveryKeyRepository::sealed).list();
    }

    /** The sealed secrets of these rows as they are now, in id order. */
    public List<SealedKey> sealedByIds(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql(SEALED + "WHERE k.id IN (:ids) AND k.purged_at IS NULL ORDER BY k.id").param("ids", ids).query(RecoveryKeyRepository::sealed).list();
    }

    /**
     * Replaces keys' ciphertexts with re-encryptions of the same secrets, in one JDBC batch, each
     * only if its row still holds the ciphertexts that were read ({@code read.get(i)}). Answers,
     * for each, whether it was replaced.
     */
    public boolean[] replaceSealed(List<SealedKey> read, List<SealedKey> resealed) {
        int[] counts = plainBatches.batchUpdate(REPLACE_SEALED, new BatchPreparedStatementSetter() {
            @Override
            public void setValues(PreparedStatement ps, int i) throws SQLException {
                SealedKey old = read.get(i);
                SealedKey key = resealed.get(i);
                if (key.id() != old.id()) {
                    throw new IllegalArgumentException("re-sealed row " + key.id() + " does not match read row " + old.id());
                }
                ps.setInt(1, key.password().formatVersion());
                ps.setObject(2, key.password().epochId());
                ps.setBytes(3, key.password().ciphertext());
                ps.setObject(4, key.keyPackage() == null ? null : key.keyPackage().epochId());
                ps.setBytes(5, key.keyPackage() == null ? null : key.keyPackage().ciphertext());
                ps.setLong(6, old.id());
                ps.setObject(7, old.password().epochId());
                ps.setObject(8, old.keyPackage() == null ? null : old.keyPackage().epochId());
            }

            @Override
            public int getBatchSize() {
                return resealed.size();
            }
        });
        boolean[] replaced = new boolean[counts.length];
        for (int i = 0; i < counts.length; i++) {
            replaced[i] = counts[i] != 0; // Statement.SUCCESS_NO_INFO (-2) where a driver does not count
        }
        return replaced;
    }

    public long count() {
        return jdbc.sql("SELECT COUNT(*) FROM recovery_key").query(Long.class).single();
    }

    public long maxId() {
        return jdbc.sql("SELECT COALESCE(MAX(id), 0) FROM recovery_key").query(Long.class).single();
    }

    public long countAfter(long afterId) {
        return jdbc.sql("SELECT COUNT(*) FROM recovery_key WHERE id > :after").param("after", afterId).query(Long.class).single();
    }

    /** Active to disclosed; false if the key was disclosed or retired already (its first disclosure counts). */
    public boolean markDisclosed(long keyId, Instant now) {
        return jdbc.sql("UPDATE recovery_key SET status = 'disclosed', disclosed_at = :now WHERE id = :id AND status = 'active'")
                .param("id", keyId).param("now", toDb(now)).update() == 1;
    }

    /** Active or disclosed to retired, with why; false if it was retired already. */
    public boolean retire(long keyId, String reason, Instant now) {
        return jdbc.sql("""
                        UPDATE recovery_key SET status = 'retired', retired_at = :now, retired_reason = :reason
                        WHERE id = :id AND status <> 'retired'""")
                .param("id", keyId).param("now", toDb(now)).param("reason", reason).update() == 1;
    }

    // Verification: a device's check-in compares its verifiers with the stored fingerprints ------

    /** The stored keys among these protector IDs, with their fingerprints and verification, by ID. */
    public Map<ProtectorId, KeyFingerprint> fingerprints(Collection<ProtectorId> ids) {
        Map<ProtectorId, KeyFingerprint> found = new HashMap<>();
        if (!ids.isEmpty()) {
            jdbc.sql(FINGERPRINTS + "WHERE k.sealed_volume_guid IS NULL AND k.protector_id IN (:ids)").param("ids", ids.stream().map(ProtectorId::hex).toList())
                    .query(RecoveryKeyRepository::fingerprint).list().forEach(key -> found.put(key.protectorId(), key));
        }
        return found;
    }

    /** The device showed it holds these keys' escrowed passwords now: records the time, and ends any report that they differ. */
    public void markVerified(Collection<Long> keyIds, Instant now) {
        if (!keyIds.isEmpty()) {
            jdbc.sql("UPDATE recovery_key SET verified_at = :now, differs_at = NULL, device_verifier = NULL WHERE id IN (:ids)")
                    .param("now", toDb(now)).param("ids", List.copyOf(keyIds)).update();
        }
    }

    /**
     * The device reported another password for this key (its verifier): records it, so that an
     * escrow with that fingerprint may replace the stored password. False if this very verifier
     * was recorded already.
     */
    public boolean markDiffers(long keyId, byte[] deviceVerifier, Instant now) {
        return jdbc.sql("""
                        UPDATE recovery_key SET differs_at = :now, device_verifier = :verifier
                        WHERE id = :id AND (device_verifier IS NULL OR device_verifier <> :verifier)""")
                .param("now", toDb(now)).param("verifier", deviceVerifier).param("id", keyId).update() == 1;
    }

    /**
     * Replaces a key's password with the one its device escrowed, if the device had reported
     * exactly that one ({@code newKey.fingerprint()} equals the key's {@code device_verifier}).
     * The stored copy is kept, sealed as it was, in {@code superseded_key}; the key counts as
     * verified now. False if the row no longer waits for this password (another escrow came first).
     */
    public boolean replaceWithDeviceCopy(long keyId, NewKey newKey, String by, Instant now) {
        // Locks the row, so that of two escrows racing to replace it only one copies and replaces.
        boolean waiting = !jdbc.sql("SELECT id FROM recovery_key WHERE id = :id AND device_verifier = :verifier FOR UPDATE")
                .param("id", keyId).param("verifier", newKey.fingerprint()).query(Long.class).list().isEmpty();
        if (!waiting) {
            return false;
        }
        jdbc.sql("""
                        INSERT INTO superseded_key (key_id, protector_id, created_at, escrowed_at, format_version, epoch_id, password_ct,
                                                    key_package_epoch_id, key_package_ct, fingerprint, superseded_at, superseded_by)
                        SELECT k.id, k.protector_id, k.created_at, k.escrowed_at, s.format_version, s.epoch_id, s.password_ct,
                               s.key_package_epoch_id, s.key_package_ct, k.fingerprint, :now, :by
                        FROM recovery_key k JOIN key_secret s ON s.key_id = k.id WHERE k.id = :id""")
                .param("now", toDb(now)).param("by", by).param("id", keyId).update();
        boolean replaced = jdbc.sql("""
                        UPDATE recovery_key SET created_at = :createdAt, escrowed_at = :now, fingerprint = :fingerprint,
                               verified_at = :now, differs_at = NULL, device_verifier = NULL
                        WHERE id = :id AND device_verifier = :fingerprint""")
                .param("createdAt", toDb(newKey.createdAt()))
                .param("now", toDb(now))
                .param("fingerprint", newKey.fingerprint())
                .param("id", keyId)
                .update() == 1;
        if (replaced) {
            SealedRecord password = newKey.password();
            SealedRecord keyPackage = newKey.keyPackage();
            jdbc.sql("""
                            UPDATE key_secret SET format_version = :format, epoch_id = :epoch, password_ct = :password,
                                   key_package_epoch_id = :packageEpoch, key_package_ct = :package
                            WHERE key_id = :id""")
                    .param("format", password.formatVersion())
                    .param("epoch", password.epochId())
                    .param("password", password.ciphertext())
                    .param("packageEpoch", keyPackage == null ? null : keyPackage.epochId())
                    .param("package", keyPackage == null ? null : keyPackage.ciphertext())
                    .param("id", keyId)
                    .update();
        }
        return replaced;
    }

    /** When the retention purged this key's material, if it did (its metadata stays). */
    public Optional<Instant> purgedAt(ProtectorId id) {
        return jdbc.sql("SELECT purged_at FROM recovery_key WHERE protector_id = :id AND purged_at IS NOT NULL").param("id", id.hex())
                .query((rs, n) -> read(rs, "purged_at")).optional();
    }

    public Optional<KeyState> stateOf(ProtectorId id) {
        return jdbc.sql(STATE + "WHERE k.protector_id = :id").param("id", id.hex()).query(RecoveryKeyRepository::state).optional();
    }

    /** The keys of a volume that are not retired: what the device should still hold. */
    public List<KeyState> liveKeysOnVolume(long volumeRowId) {
        return jdbc.sql(STATE + "WHERE k.volume_id = :volume AND k.status <> 'retired' ORDER BY k.id")
                .param("volume", volumeRowId).query(RecoveryKeyRepository::state).list();
    }

    public List<KeyState> liveKeysOfComputer(long computerId) {
        return jdbc.sql(STATE + "WHERE v.computer_id = :computer AND k.status <> 'retired' ORDER BY k.id")
                .param("computer", computerId).query(RecoveryKeyRepository::state).list();
    }

    /** Keys not retired with a row id above {@code afterId}, in id order, to walk every key in batches. */
    public List<KeyState> liveKeysAfter(long afterId, int limit) {
        return jdbc.sql(STATE + "WHERE k.id > :after AND k.status <> 'retired' ORDER BY k.id LIMIT :limit")
                .param("after", afterId).param("limit", limit).query(RecoveryKeyRepository::state).list();
    }

    /**
     * Keys with a row id above {@code afterId}, in id order, for an export to another installation;
     * only those of {@code computers} (host names, upper case) unless it is empty.
     */
    public List<ExportedKey> forExport(long afterId, int limit, Collection<String> computers) {
        String sql = """
                SELECT k.id, k.protector_id, c.id AS computer_id, c.name, c.domain, v.volume_guid, v.placeholder, v.volume_type,
                       v.drive_label, k.status, k.created_at, COALESCE(k.sealed_volume_guid, v.volume_guid) AS sealed_guid,
                       s.format_version, s.epoch_id, s.password_ct, s.key_package_epoch_id, s.key_package_ct
                FROM recovery_key k JOIN volume v ON v.id = k.volume_id JOIN computer c ON c.id = v.computer_id
                JOIN key_secret s ON s.key_id = k.id
                WHERE k.id > :after AND k.purged_at IS NULL""" + (computers.isEmpty() ? "" : " AND c.name IN (:computers)") + " ORDER BY k.id LIMIT :limit";
        var query = jdbc.sql(sql).param("after", afterId).param("limit", limit);
        if (!computers.isEmpty()) {
            query = query.param("computers", List.copyOf(computers));
        }
        record Row(long computerId, ExportedKey key) {
        }
        List<Row> rows = query.query((rs, n) -> {
            int format = rs.getInt("format_version");
            byte[] packageCt = rs.getBytes("key_package_ct");
            return new Row(rs.getLong("computer_id"), new ExportedKey(rs.getLong("id"), ProtectorId.fromHex(rs.getString("protector_id")),
                    rs.getString("name"), rs.getString("domain"), VolumeId.of(rs.getObject("volume_guid", UUID.class)),
                    rs.getBoolean("placeholder"), rs.getString("volume_type"), rs.getString("drive_label"),
                    KeyStatus.fromDb(rs.getString("status")), read(rs, "created_at"), VolumeId.of(rs.getObject("sealed_guid", UUID.class)),
                    new SealedRecord(format, rs.getObject("epoch_id", UUID.class), rs.getBytes("password_ct")),
                    packageCt == null ? null : new SealedRecord(format, rs.getObject("key_package_epoch_id", UUID.class), packageCt),
                    List.of()));
        }).list();
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<Long, List<String>> users = new HashMap<>();
        jdbc.sql("SELECT computer_id, account FROM computer_user WHERE computer_id IN (:ids) ORDER BY account")
                .param("ids", rows.stream().map(Row::computerId).distinct().toList())
                .query((rs, n) -> users.computeIfAbsent(rs.getLong(1), id -> new java.util.ArrayList<>()).add(rs.getString(2)))
                .list();
        return rows.stream().map(row -> {
            ExportedKey k = row.key();
            return new ExportedKey(k.id(), k.protectorId(), k.computer(), k.domain(), k.volumeId(), k.placeholder(), k.volumeType(),
                    k.driveLabel(), k.status(), k.createdAt(), k.sealedTo(), k.password(), k.keyPackage(),
                    List.copyOf(users.getOrDefault(row.computerId(), List.of())));
        }).toList();
    }

    public long countForExport(Collection<String> computers) {
        String sql = "SELECT COUNT(*) FROM recovery_key k JOIN volume v ON v.id = k.volume_id JOIN computer c ON c.id = v.computer_id"
                + (computers.isEmpty() ? "" : " WHERE c.name IN (:computers)");
        var query = jdbc.sql(sql);
        if (!computers.isEmpty()) {
            query = query.param("computers", List.copyOf(computers));
        }
        return query.query(Long.class).single();
    }

    private static KeyState state(ResultSet rs, int row) throws SQLException {
        return new KeyState(rs.getLong("id"), ProtectorId.fromHex(rs.getString("protector_id")), rs.getLong("volume_id"),
                VolumeId.of(rs.getObject("volume_guid", UUID.class)), rs.getLong("computer_id"),
                KeyStatus.fromDb(rs.getString("status")));
    }

    private static SealedKey sealed(ResultSet rs, int row) throws SQLException {
        int format = rs.getInt("format_version");
        byte[] packageCt = rs.getBytes("key_package_ct");
        SealedRecord keyPackage = packageCt == null ? null
                : new SealedRecord(format, rs.getObject("key_package_epoch_id", UUID.class), packageCt);
        return new SealedKey(rs.getLong("id"), ProtectorId.fromHex(rs.getString("protector_id")),
                VolumeId.of(rs.getObject("sealed_guid", UUID.class)),
                new SealedRecord(format, rs.getObject("epoch_id", UUID.class), rs.getBytes("password_ct")), keyPackage);
    }

    private static StoredKey key(ResultSet rs, int row) throws SQLException {
        int format = rs.getInt("format_version");
        byte[] packageCt = rs.getBytes("key_package_ct");
        SealedRecord keyPackage = packageCt == null ? null
                : new SealedRecord(format, rs.getObject("key_package_epoch_id", UUID.class), packageCt);
        return new StoredKey(rs.getLong("id"), ProtectorId.fromHex(rs.getString("protector_id")),
                VolumeId.of(rs.getObject("volume_guid", UUID.class)), KeyStatus.fromDb(rs.getString("status")),
                read(rs, "created_at"), read(rs, "escrowed_at"),
                new SealedRecord(format, rs.getObject("epoch_id", UUID.class), rs.getBytes("password_ct")),
                keyPackage, rs.getBytes("fingerprint"), rs.getBytes("device_verifier"),
                VolumeId.of(rs.getObject("sealed_guid", UUID.class)));
    }

    private static KeyFingerprint fingerprint(ResultSet rs, int row) throws SQLException {
        return new KeyFingerprint(rs.getLong("id"), ProtectorId.fromHex(rs.getString("protector_id")), rs.getLong("volume_id"),
                VolumeId.of(rs.getObject("volume_guid", UUID.class)), KeyStatus.fromDb(rs.getString("status")),
                rs.getBytes("fingerprint"), read(rs, "verified_at"), rs.getBytes("device_verifier"), read(rs, "differs_at"));
    }
}
