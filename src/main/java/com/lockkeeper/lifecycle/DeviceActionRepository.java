package com.lockkeeper.lifecycle;

import static com.lockkeeper.support.DbTime.read;
import static com.lockkeeper.support.DbTime.toDb;

import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.VolumeId;
import com.lockkeeper.computers.KeyState;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;

/** SQL for device actions and the admin rotation requests that group them. */
public class DeviceActionRepository {

    /** A protector has at most one pending action of a kind: a second request is a no-op (the unique pending_protector). */
    private static final String REQUEST = """
            INSERT INTO device_action (volume_id, kind, protector_id, requested_at, requested_by, reason, state, request_id,
                                       pending_protector, device_reason)
            VALUES (:volume, :kind, :protector, :now, :by, :reason, 'pending', :request, :protector, :deviceReason)
            ON CONFLICT DO NOTHING""";

    private static final String PROGRESS = """
            SELECT r.id, r.scope, r.target, r.reason, r.requested_at, r.requested_by, r.keys_requested, r.keys_already_pending,
                   COALESCE(SUM(CASE WHEN a.state = 'pending' THEN 1 ELSE 0 END), 0) AS pending,
                   COALESCE(SUM(CASE WHEN a.state = 'done' THEN 1 ELSE 0 END), 0) AS done,
                   COALESCE(SUM(CASE WHEN a.state = 'cancelled' THEN 1 ELSE 0 END), 0) AS cancelled
            FROM rotation_request r LEFT JOIN device_action a ON a.request_id = r.id
            """;
    private static final String PROGRESS_GROUP = """
             GROUP BY r.id, r.scope, r.target, r.reason, r.requested_at, r.requested_by, r.keys_requested, r.keys_already_pending
            """;

    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate batches;

    DeviceActionRepository(JdbcClient jdbc, JdbcTemplate batches) {
        this.jdbc = jdbc;
        this.batches = new NamedParameterJdbcTemplate(batches);
    }

    /** Puts a pending action on the protector; false if one of this kind was pending already. */
    public boolean request(ActionKind kind, long volumeRowId, ProtectorId protector, String by, String reason, Long requestId,
            Instant now) {
        return jdbc.sql(REQUEST).paramSource(parameters(kind, volumeRowId, protector, by, reason, requestId, now)).update() == 1;
    }

    /** {@link #request} with the reason the check-in answer gives the device ({@link PendingAction#DIFFERS}). */
    public boolean requestTelling(ActionKind kind, long volumeRowId, ProtectorId protector, String by, String reason,
            String deviceReason, Instant now) {
        MapSqlParameterSource parameters = parameters(kind, volumeRowId, protector, by, reason, null, now);
        return jdbc.sql(REQUEST).paramSource(parameters.addValue("deviceReason", deviceReason)).update() == 1;
    }

    /** {@link #request} for many keys in one batch; answers how many were new (the others had one pending). */
    public int requestRotations(List<KeyState> keys, String by, String reason, Long requestId, Instant now) {
        if (keys.isEmpty()) {
            return 0;
        }
        int[] counts = batches.batchUpdate(REQUEST, keys.stream()
                .map(key -> parameters(ActionKind.ROTATE, key.volumeRowId(), key.protectorId(), by, reason, requestId, now))
                .toArray(SqlParameterSource[]::new));
        return (int) Arrays.stream(counts).filter(count -> count > 0).count();
    }

    private static MapSqlParameterSource parameters(ActionKind kind, long volumeRowId, ProtectorId protector, String by,
            String reason, Long requestId, Instant now) {
        return new MapSqlParameterSource()
                .addValue("volume", volumeRowId)
                .addValue("kind", kind.apiName())
                .addValue("protector", protector.hex())
                .addValue("now", toDb(now))
                .addValue("by", by)
                .addValue("reason", reason.length() > 255 ? reason.substring(0, 254) + "…" : reason)
                .addValue("request", requestId)
                .addValue("deviceReason", null);
    }

    /** Marks the protector's pending action of this kind done; false if there was none. */
    public boolean complete(ActionKind kind, ProtectorId protector, Instant now) {
        return jdbc.sql("""
                        UPDATE device_action SET state = 'done', done_at = :now, pending_protector = NULL
                        WHERE kind = :kind AND pending_protector = :protector""")
                .param("now", toDb(now)).param("kind", kind.apiName()).param("protector", protector.hex()).update() > 0;
    }

    /** Completes the pending actions of this kind for these protectors; answers the protectors that had one. */
    public Set<ProtectorId> completeAll(ActionKind kind, Collection<ProtectorId> protectors, Instant now) {
        if (protectors.isEmpty()) {
            return Set.of();
        }
        List<String> pending = jdbc.sql("SELECT pending_protector FROM device_action WHERE kind = :kind AND pending_protector IN (:ids)")
                .param("kind", kind.apiName()).param("ids", protectors.stream().map(ProtectorId::hex).toList())
                .query(String.class).list();
        if (pending.isEmpty()) {
            return Set.of();
        }
        jdbc.sql("""
                        UPDATE device_action SET state = 'done', done_at = :now, pending_protector = NULL
                        WHERE kind = :kind AND pending_protector IN (:ids)""")
                .param("now", toDb(now)).param("kind", kind.apiName()).param("ids", pending).update();
        return pending.stream().map(ProtectorId::fromHex).collect(Collectors.toSet());
    }

    public boolean isPending(ActionKind kind, ProtectorId protector) {
        return jdbc.sql("SELECT COUNT(*) FROM device_action WHERE kind = :kind AND pending_protector = :protector")
                .param("kind", kind.apiName()).param("protector", protector.hex()).query(Long.class).single() > 0;
    }

    /** The actions waiting for this computer's volumes, oldest first. */
    public List<PendingAction> pendingForComputer(long computerId) {
        return jdbc.sql("""
                        SELECT a.kind, v.volume_guid, a.protector_id, a.device_reason FROM device_action a
                        JOIN volume v ON v.id = a.volume_id
                        WHERE v.computer_id = :computer AND a.state = 'pending' ORDER BY a.id""")
                .param("computer", computerId)
                .query((rs, row) -> new PendingAction(ActionKind.fromDb(rs.getString("kind")),
                        VolumeId.of(rs.getObject("volume_guid", UUID.class)), ProtectorId.fromHex(rs.getString("protector_id")),
                        rs.getString("device_reason")))
                .list();
    }

    public long countPending(ActionKind kind) {
        return jdbc.sql("SELECT COUNT(*) FROM device_action WHERE kind = :kind AND state = 'pending'")
                .param("kind", kind.apiName()).query(Long.class).single();
    }

    // Rotation requests --------------------------------------------------------------------------

    public long createRequest(String scope, String target, String reason, String by, Instant now) {
        KeyHolder id = new GeneratedKeyHolder();
        jdbc.sql("""
                        INSERT INTO rotation_request (scope, target, reason, requested_at, requested_by, keys_requested,
                                                      keys_already_pending)
                        VALUES (:scope, :target, :reason, :now, :by, 0, 0)""")
                .param("scope", scope).param("target", target).param("reason", reason).param("now", toDb(now)).param("by", by)
                .update(id, "id");
        return id.getKeyAs(Number.class).longValue();
    }

    public void countRequest(long requestId, int requested, int alreadyPending) {
        jdbc.sql("UPDATE rotation_request SET keys_requested = :requested, keys_already_pending = :already WHERE id = :id")
                .param("requested", requested).param("already", alreadyPending).param("id", requestId).update();
    }

    public Optional<RotationProgress> progress(long requestId) {
        return jdbc.sql(PROGRESS + "WHERE r.id = :id" + PROGRESS_GROUP).param("id", requestId)
                .query(DeviceActionRepository::progress).optional();
    }

    /** The latest rotation requests, newest first, with their progress. */
    public List<RotationProgress> latestRequests(int limit) {
        return jdbc.sql(PROGRESS + PROGRESS_GROUP + " ORDER BY r.id DESC LIMIT :limit").param("limit", limit)
                .query(DeviceActionRepository::progress).list();
    }

    private static RotationProgress progress(ResultSet rs, int row) throws SQLException {
        return new RotationProgress(rs.getLong("id"), rs.getString("scope"), rs.getString("target"), rs.getString("reason"),
                read(rs, "requested_at"), rs.getString("requested_by"), rs.getInt("keys_requested"),
                rs.getInt("keys_already_pending"), rs.getLong("pending"), rs.getLong("done"), rs.getLong("cancelled"));
    }
}
