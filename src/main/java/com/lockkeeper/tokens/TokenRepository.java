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

    boolean activeNameExists(String name) {
        return jdbc.sql("SELECT COUNT(*) FROM api_token WHERE name = :name AND revoked_at IS NULL")
                .param("name", name).query(Long.class).single() > 0;
    }

    long insert(String name, String kind, byte[] hash, String createdBy, Instant now) {
        jdbc.sql("""
                        INSERT INTO api_token (name, kind, token_hash, created_at, created_by)
                        VALUES (:name, :kind, :hash, :now, :by)""")
                .param("name", name)
                .param("kind", kind)
                .param("hash", hash)
                .param("now", toDb(now))
                .param("by", createdBy)
                .update();
        return jdbc.sql("SELECT id FROM api_token WHERE token_hash = :hash").param("hash", hash).query(Long.class).single();
    }

    Optional<TokenSummary> byHash(byte[] hash) {
        return jdbc.sql("SELECT id, name, kind, created_by, created_at, revoked_at FROM api_token WHERE token_hash = :hash")
                .param("hash", hash)
                .query(TokenRepository::summary)
                .optional();
    }

    List<TokenSummary> all() {
        return jdbc.sql("SELECT id, name, kind, created_by, created_at, revoked_at FROM api_token ORDER BY id")
                .query(TokenRepository::summary)
                .list();
    }

    List<TokenSummary> activeByNameOrId(String nameOrId) {
        Long id = parseId(nameOrId);
        return jdbc.sql("""
                        SELECT id, name, kind, created_by, created_at, revoked_at FROM api_token
                        WHERE revoked_at IS NULL AND (name = :name OR id = :id)""")
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
        return new TokenSummary(rs.getLong("id"), rs.getString("name"), rs.getString("kind"), rs.getString("created_by"),
                read(rs, "created_at"), read(rs, "revoked_at"));
    }
}
