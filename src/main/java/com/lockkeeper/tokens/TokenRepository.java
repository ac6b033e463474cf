package com.lockkeeper.tokens;

import static com.lockkeeper.support.DbTime.read;
import static com.lockkeeper.support.DbTime.toDb;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

class TokenRepository {

    private final JdbcClient jdbc;

    TokenRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    long count() {
        return jdbc.sql("SELECT COUNT(*) FROM api_token").query(Long.class).single();
    }

    private static final String COLUMNS = """
            SELECT t.id, t.name, t.kind, t.user_id, COALESCE(u.username, t.directory_user) AS owner, t.created_by,
                   t.created_at, t.revoked_at
            FROM api_token t LEFT JOIN app_user u ON u.id = t.user_id""";

    boolean activeNameExists(String name) {
        return jdbc.sql("SELECT COUNT(*) FROM api_token WHERE name = :name AND kind = 'enrollment' AND revoked_at IS NULL")
                .param("name", name).query(Long.class).single() > 0;
    }

    boolean activeNameExists(long userId, String name) {
        return jdbc.sql("SELECT COUNT(*) FROM api_token WHERE name = :name AND user_id = :user AND revoked_at IS NULL")
                .param("name", name).param("user", userId).query(Long.class).single() > 0;
    }

    boolean activeNameExists(String directoryUser, String name) {
        return jdbc.sql("SELECT COUNT(*) FROM api_token WHERE name = :name AND directory_user = :user AND revoked_at IS NULL")
                .param("name", name).param("user", directoryUser).query(Long.class).single() > 0;
    }

    long insert(String name, String kind, Long userId, byte[] hash, String createdBy, Instant now) {
        return insert(name, kind, userId, null, hash, createdBy, now);
    }

    long insert(String name, String kind, Long userId, String directoryUser, byte[] hash, String createdBy, Instant now) {
        jdbc.sql("""
                        INSERT INTO api_token (name, kind, user_id, directory_user, token_hash, created_at, created_by)
                        VALUES (:name, :kind, :user, :directoryUser, :hash, :now, :by)""")
                .param("name", name)
                .param("kind", kind)
                .param("user", userId, java.sql.Types.BIGINT)
                .param("directoryUser", directoryUser, java.sql.Types.VARCHAR)
                .param("hash", hash)
                .param("now", toDb(now))
                .param("by", createdBy)
                .update();
        return jdbc.sql("SELECT id FROM api_token WHERE token_hash = :hash").param("hash", hash).query(Long.class).single();
    }

    /** The active token with this hash, as its holder. */
    Optional<TokenHolder> activeByHash(byte[] hash) {
        return jdbc.sql("""
                        SELECT id, name, kind, user_id, directory_user FROM api_token
                        WHERE token_hash = :hash AND revoked_at IS NULL""")
                .param("hash", hash)
                .query((rs, n) -> new TokenHolder(rs.getLong("id"), rs.getString("name"), rs.getString("kind"),
                        rs.getObject("user_id") == null ? null : rs.getLong("user_id"), rs.getString("directory_user")))
                .optional();
    }

    List<TokenSummary> all() {
        return jdbc.sql(COLUMNS + " ORDER BY t.id")
                .query(TokenRepository::summary)
                .list();
    }

    List<TokenSummary> ofUser(long userId) {
        return jdbc.sql(COLUMNS + " WHERE t.user_id = :user ORDER BY t.id DESC")
                .param("user", userId)
                .query(TokenRepository::summary)
                .list();
    }

    List<TokenSummary> ofDirectoryUser(String directoryUser) {
        return jdbc.sql(COLUMNS + " WHERE t.directory_user = :user ORDER BY t.id DESC")
                .param("user", directoryUser)
                .query(TokenRepository::summary)
                .list();
    }

    Optional<TokenSummary> byId(long id) {
        return jdbc.sql(COLUMNS + " WHERE t.id = :id").param("id", id).query(TokenRepository::summary).optional();
    }

    List<TokenSummary> activeByNameOrId(String nameOrId) {
        Long id = parseId(nameOrId);
        return jdbc.sql(COLUMNS + " WHERE t.revoked_at IS NULL AND (t.name = :name OR t.id = :id)")
                .param("name", nameOrId)
                .param("id", id == null ? -1L : id)
                .query(TokenRepository::summary)
                .list();
    }

    boolean revoke(long id, Instant now) {
        return jdbc.sql("UPDATE api_token SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL")
                .param("now", toDb(now)).param("id", id).update() == 1;
    }

    private static Long parseId(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static TokenSummary summary(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new TokenSummary(rs.getLong("id"), rs.getString("name"), rs.getString("kind"), rs.getString("owner"),
                rs.getString("created_by"),
                read(rs, "created_at"), read(rs, "revoked_at"));
    }
}
