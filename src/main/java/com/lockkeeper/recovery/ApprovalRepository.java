package com.lockkeeper.recovery;

import static com.lockkeeper.support.DbTime.read;
import static com.lockkeeper.support.DbTime.toDb;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;

/** Approval requests and their grants. Every change of state is one conditional UPDATE, so two changes at once cannot both win. */
final class ApprovalRepository {

    private static final String COLUMNS = """
            id, status, requested_by, requested_roles, channel, computer_id, computer_name, protector_id, key_type, requester,
            associated, identity_verification, identity_text, justification, reason, notes, why_required, requested_at,
            expires_at, decided_by, decided_at, decision_note, used_at""";

    private final JdbcClient jdbc;

    ApprovalRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    long insert(Approval a) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("""
                        INSERT INTO reveal_approval (status, requested_by, requested_roles, channel, computer_id, computer_name,
                            protector_id, key_type, requester, associated, identity_verification, identity_text, justification,
                            reason, notes, why_required, requested_at, expires_at, decided_by, decided_at, decision_note, used_at)
                        VALUES (:status, :requestedBy, :roles, :channel, :computerId, :computerName, :protectorId, :keyType,
                            :requester, :associated, :identity, :identityText, :justification, :reason, :notes, :why, :requestedAt,
                            :expiresAt, :decidedBy, :decidedAt, :note, :usedAt)""")
                .param("status", a.status()).param("requestedBy", a.requestedBy()).param("roles", a.requestedRoles())
                .param("channel", a.channel()).param("computerId", a.computerId()).param("computerName", a.computerName())
                .param("protectorId", a.protectorIdHex()).param("keyType", a.keyType()).param("requester", a.requester())
                .param("associated", a.associated()).param("identity", a.identityVerification())
                .param("identityText", a.identityText()).param("justification", a.justification()).param("reason", a.reason())
                .param("notes", a.notes()).param("why", a.whyRequired()).param("requestedAt", toDb(a.requestedAt()))
                .param("expiresAt", toDb(a.expiresAt())).param("decidedBy", a.decidedBy()).param("decidedAt", toDb(a.decidedAt()))
                .param("note", a.decisionNote()).param("usedAt", toDb(a.usedAt()))
                .update(keys, "id");
        return keys.getKeyAs(Number.class).longValue();
    }

    Optional<Approval> find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM reveal_approval WHERE id = :id").param("id", id)
                .query(ApprovalRepository::row).optional();
    }

    /** Requests still waiting for a decision, oldest first. */
    List<Approval> pending(Instant now, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM reveal_approval WHERE status = 'pending' AND expires_at > :now"
                        + " ORDER BY requested_at, id LIMIT :limit")
                .param("now", toDb(now)).param("limit", limit).query(ApprovalRepository::row).list();
    }

    /** The latest requests of one user. */
    List<Approval> requestedBy(String username, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM reveal_approval WHERE LOWER(requested_by) = LOWER(:user) AND status <> 'break-glass'"
                        + " ORDER BY requested_at DESC, id DESC LIMIT :limit")
                .param("user", username).param("limit", limit).query(ApprovalRepository::row).list();
    }

    /** The latest request of one user for one key and type, if any. */
    Optional<Approval> latest(String username, String protectorIdHex, String keyType) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM reveal_approval WHERE LOWER(requested_by) = LOWER(:user)"
                        + " AND protector_id = :pid AND key_type = :type AND status <> 'break-glass' ORDER BY id DESC LIMIT 1")
                .param("user", username).param("pid", protectorIdHex).param("type", keyType)
                .query(ApprovalRepository::row).optional();
    }

    /** Pending and not expired to approved (the grant runs until {@code grantUntil}) or denied; false when it was not pending. */
    boolean decide(long id, boolean approve, String approver, String note, Instant now, Instant grantUntil) {
        String set = approve ? "status = 'approved', expires_at = :until" : "status = 'denied'";
        JdbcClient.StatementSpec update = jdbc.sql("UPDATE reveal_approval SET " + set
                        + ", decided_by = :approver, decided_at = :now, decision_note = :note"
                        + " WHERE id = :id AND status = 'pending' AND expires_at > :now")
                .param("approver", approver).param("now", toDb(now)).param("note", note).param("id", id);
        return (approve ? update.param("until", toDb(grantUntil)) : update).update() == 1;
    }

    /**
     * Uses a grant for the reveal {@code revealRef}: approved, not expired, for this user, key and
     * type, to used. Of two reveals with one grant, on any node, only one changes the row.
     */
    boolean use(long id, String username, String protectorIdHex, String keyType, Instant now, String revealRef) {
        return jdbc.sql("""
                        UPDATE reveal_approval SET status = 'used', used_at = :now, reveal_ref = :ref
                        WHERE id = :id AND status = 'approved' AND expires_at > :now AND LOWER(requested_by) = LOWER(:user)
                          AND protector_id = :pid AND key_type = :type""")
                .param("now", toDb(now)).param("ref", revealRef).param("id", id).param("user", username)
                .param("pid", protectorIdHex).param("type", keyType)
                .update() == 1;
    }

    void revealed(long id, String revealRef) {
        jdbc.sql("UPDATE reveal_approval SET reveal_ref = :ref WHERE id = :id").param("ref", revealRef).param("id", id).update();
    }

    private static Approval row(ResultSet rs, int n) throws SQLException {
        return new Approval(rs.getLong("id"), rs.getString("status"), rs.getString("requested_by"), rs.getString("requested_roles"),
                rs.getString("channel"), rs.getLong("computer_id"), rs.getString("computer_name"), rs.getString("protector_id"),
                rs.getString("key_type"), rs.getString("requester"), rs.getBoolean("associated"),
                rs.getString("identity_verification"), rs.getString("identity_text"), rs.getString("justification"),
                rs.getString("reason"), rs.getString("notes"), rs.getString("why_required"), read(rs, "requested_at"),
                read(rs, "expires_at"), rs.getString("decided_by"), read(rs, "decided_at"), rs.getString("decision_note"),
                read(rs, "used_at"));
    }
}
