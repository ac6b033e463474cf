package com.lockkeeper.keys;

import com.lockkeeper.support.KdfParams;
import static com.lockkeeper.support.DbTime.read;
import static com.lockkeeper.support.DbTime.toDb;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/** SQL for the key hierarchy's tables. Sees only wrapped keys and sealed epoch keys. */
class KeyRepository {

    record StoredDmk(int version, byte[] salt, KdfParams params, byte[] wrappedKeyset, Instant createdAt) {
    }

    record StoredRegistration(String nodeName, int dmkVersion, long nodeKeyId, byte[] wrappedKeyset, Instant registeredAt) {
    }

    record StoredDatakey(byte[] publicKeyset, long primaryKeyId, byte[] privateKeyset, Integer dmkVersion, Instant updatedAt) {

        boolean privateHalfPresent() {
            return privateKeyset != null;
        }
    }

    /** A node's audit key, sealed to the datakey's public half. */
    record StoredAuditKey(String keyId, String nodeName, byte[] sealedKeyset, Instant createdAt) {
    }

    record StoredEpoch(UUID id, String nodeName, Instant createdAt, long datakeyKeyId, byte[] sealedKey) {
    }

    private final JdbcClient jdbc;

    KeyRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<StoredDmk> dmk() {
        return jdbc.sql("""
                        SELECT version, kdf_salt, kdf_memory_kib, kdf_iterations, kdf_parallelism, wrapped_keyset, created_at
                        FROM dmk WHERE id = 1""")
                .query((rs, n) -> new StoredDmk(rs.getInt("version"), rs.getBytes("kdf_salt"),
                        new KdfParams(rs.getInt("kdf_memory_kib"), rs.getInt("kdf_iterations"), rs.getInt("kdf_parallelism")),
                        rs.getBytes("wrapped_keyset"), read(rs, "created_at")))
                .optional();
    }

    void saveDmk(StoredDmk dmk) {
        jdbc.sql("DELETE FROM dmk WHERE id = 1").update();
        jdbc.sql("""
                        INSERT INTO dmk (id, version, kdf_salt, kdf_memory_kib, kdf_iterations, kdf_parallelism, wrapped_keyset, created_at)
                        VALUES (1, :version, :salt, :memory, :iterations, :parallelism, :wrapped, :createdAt)""")
                .param("version", dmk.version())
                .param("salt", dmk.salt())
                .param("memory", dmk.params().memoryKib())
                .param("iterations", dmk.params().iterations())
                .param("parallelism", dmk.params().parallelism())
                .param("wrapped", dmk.wrappedKeyset())
                .param("createdAt", toDb(dmk.createdAt()))
                .update();
    }

    Optional<StoredRegistration> registration(String nodeName) {
        return jdbc.sql("""
                        SELECT node_name, dmk_version, node_key_id, wrapped_keyset, registered_at
                        FROM dmk_registration WHERE node_name = :node""")
                .param("node", nodeName)
                .query(KeyRepository::registration)
                .optional();
    }

    List<StoredRegistration> registrations() {
        return jdbc.sql("""
                        SELECT node_name, dmk_version, node_key_id, wrapped_keyset, registered_at
                        FROM dmk_registration ORDER BY node_name""")
                .query(KeyRepository::registration)
                .list();
    }

    private static StoredRegistration registration(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new StoredRegistration(rs.getString("node_name"), rs.getInt("dmk_version"), rs.getLong("node_key_id"),
                rs.getBytes("wrapped_keyset"), read(rs, "registered_at"));
    }

    void saveRegistration(StoredRegistration registration) {
        deleteRegistration(registration.nodeName());
        jdbc.sql("""
                        INSERT INTO dmk_registration (node_name, dmk_version, node_key_id, wrapped_keyset, registered_at)
                        VALUES (:node, :version, :keyId, :wrapped, :at)""")
                .param("node", registration.nodeName())
                .param("version", registration.dmkVersion())
                .param("keyId", registration.nodeKeyId())
                .param("wrapped", registration.wrappedKeyset())
                .param("at", toDb(registration.registeredAt()))
                .update();
    }

    boolean deleteRegistration(String nodeName) {
        return jdbc.sql("DELETE FROM dmk_registration WHERE node_name = :node").param("node", nodeName).update() > 0;
    }

    /**
     * After the DMK is replaced, other nodes' registrations wrap a DMK that no longer exists: their
     * wrapped key is erased, the row stays so that status can name the node that must register again.
     */
    int retireRegistrationsExcept(String nodeName) {
        return jdbc.sql("UPDATE dmk_registration SET wrapped_keyset = :empty WHERE node_name <> :node")
                .param("empty", new byte[0]).param("node", nodeName).update();
    }

    Optional<StoredDatakey> datakey() {
        return jdbc.sql("SELECT public_keyset, primary_key_id, private_keyset, dmk_version, updated_at FROM datakey WHERE id = 1")
                .query((rs, n) -> new StoredDatakey(rs.getBytes("public_keyset"), rs.getLong("primary_key_id"),
                        rs.getBytes("private_keyset"), (Integer) rs.getObject("dmk_version"), read(rs, "updated_at")))
                .optional();
    }

    Optional<Long> datakeyPrimaryKeyId() {
        return jdbc.sql("SELECT primary_key_id FROM datakey WHERE id = 1").query(Long.class).optional();
    }

    void saveDatakey(StoredDatakey datakey) {
        jdbc.sql("DELETE FROM datakey WHERE id = 1").update();
        jdbc.sql("""
                        INSERT INTO datakey (id, public_keyset, primary_key_id, private_keyset, dmk_version, updated_at)
                        VALUES (1, :public, :primary, :private, :dmkVersion, :at)""")
                .param("public", datakey.publicKeyset())
                .param("primary", datakey.primaryKeyId())
                .param("private", datakey.privateKeyset())
                .param("dmkVersion", datakey.dmkVersion())
                .param("at", toDb(datakey.updatedAt()))
                .update();
    }

    Optional<StoredAuditKey> auditKey(String keyId) {
        return jdbc.sql("SELECT key_id, node_name, sealed_keyset, created_at FROM audit_key WHERE key_id = :id")
                .param("id", keyId)
                .query((rs, n) -> new StoredAuditKey(rs.getString("key_id"), rs.getString("node_name"),
                        rs.getBytes("sealed_keyset"), read(rs, "created_at")))
                .optional();
    }

    void insertAuditKey(StoredAuditKey key) {
        // Two first records of one node at once register the same key: the second insert waits for the first, then does nothing.
        jdbc.sql("INSERT INTO audit_key (key_id, node_name, sealed_keyset, created_at) VALUES (:id, :node, :sealed, :at)"
                        + " ON CONFLICT DO NOTHING")
                .param("id", key.keyId()).param("node", key.nodeName()).param("sealed", key.sealedKeyset())
                .param("at", toDb(key.createdAt()))
                .update();
    }

    /** When the node's first audit key was registered, if it has one. */
    Optional<Instant> firstAuditKeyOf(String nodeName) {
        return jdbc.sql("SELECT MIN(created_at) AS first FROM audit_key WHERE node_name = :node")
                .param("node", nodeName)
                .query((rs, n) -> read(rs, "first"))
                .optional()
                .filter(java.util.Objects::nonNull);
    }

    void insertEpoch(StoredEpoch epoch) {
        jdbc.sql("""
                        INSERT INTO seal_epoch (id, node_name, created_at, datakey_key_id, sealed_key)
                        VALUES (:id, :node, :at, :keyId, :sealed)""")
                .param("id", epoch.id())
                .param("node", epoch.nodeName())
                .param("at", toDb(epoch.createdAt()))
                .param("keyId", epoch.datakeyKeyId())
                .param("sealed", epoch.sealedKey())
                .update();
    }

    Optional<StoredEpoch> epoch(UUID id) {
        return jdbc.sql("SELECT id, node_name, created_at, datakey_key_id, sealed_key FROM seal_epoch WHERE id = :id")
                .param("id", id)
                .query(KeyRepository::epoch)
                .optional();
    }

    /** A batch of epochs sealed under some key version other than {@code keyId}, oldest first. */
    List<StoredEpoch> epochsNotSealedUnder(long keyId, int limit) {
        return jdbc.sql("""
                        SELECT id, node_name, created_at, datakey_key_id, sealed_key FROM seal_epoch
                        WHERE datakey_key_id <> :keyId ORDER BY created_at, id LIMIT :limit""")
                .param("keyId", keyId)
                .param("limit", limit)
                .query(KeyRepository::epoch)
                .list();
    }

    List<Long> epochKeyVersionsInUse() {
        return jdbc.sql("SELECT DISTINCT datakey_key_id FROM seal_epoch").query(Long.class).list();
    }

    long epochCount() {
        return jdbc.sql("SELECT COUNT(*) FROM seal_epoch").query(Long.class).single();
    }

    boolean reseal(UUID id, long oldKeyId, long newKeyId, byte[] sealedKey, Instant at) {
        return jdbc.sql("""
                        UPDATE seal_epoch SET datakey_key_id = :newKeyId, sealed_key = :sealed, resealed_at = :at
                        WHERE id = :id AND datakey_key_id = :oldKeyId""")
                .param("newKeyId", newKeyId)
                .param("sealed", sealedKey)
                .param("at", toDb(at))
                .param("id", id)
                .param("oldKeyId", oldKeyId)
                .update() == 1;
    }

    private static StoredEpoch epoch(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new StoredEpoch(rs.getObject("id", UUID.class), rs.getString("node_name"), read(rs, "created_at"),
                rs.getLong("datakey_key_id"), rs.getBytes("sealed_key"));
    }
}
