package com.lockkeeper.users;

import static com.lockkeeper.support.DbTime.read;
import static com.lockkeeper.support.DbTime.toDb;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;

class UserRepository {

    private final JdbcClient jdbc;

    UserRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    long count() {
        return jdbc.sql("SELECT COUNT(*) FROM app_user").query(Long.class).single();
    }

    boolean exists(String username) {
        return jdbc.sql("SELECT COUNT(*) FROM app_user WHERE LOWER(username) = LOWER(:name)")
                .param("name", username).query(Long.class).single() > 0;
    }

    long insert(String username, String passwordHash, boolean mustChange, Instant now) {
        jdbc.sql("""
                        INSERT INTO app_user (username, password_hash, must_change_password, disabled, created_at, password_changed_at)
                        VALUES (:name, :hash, :mustChange, FALSE, :now, :now)""")
                .param("name", username)
                .param("hash", passwordHash)
                .param("mustChange", mustChange)
                .param("now", toDb(now))
                .update();
        return jdbc.sql("SELECT id FROM app_user WHERE username = :name").param("name", username).query(Long.class).single();
    }

    void addRoles(long userId, Set<Role> roles) {
        for (Role role : roles) {
            jdbc.sql("INSERT INTO user_role (user_id, role) VALUES (:id, :role) ON CONFLICT DO NOTHING")
                    .param("id", userId).param("role", role.name()).update();
        }
    }

    void replaceRoles(long userId, Set<Role> roles) {
        jdbc.sql("DELETE FROM user_role WHERE user_id = :id").param("id", userId).update();
        addRoles(userId, roles);
    }

    boolean updatePassword(String username, String passwordHash, boolean mustChange, Instant now) {
        return jdbc.sql("""
                        UPDATE app_user SET password_hash = :hash, must_change_password = :mustChange, password_changed_at = :now
                        WHERE username = :name""")
                .param("hash", passwordHash)
                .param("mustChange", mustChange)
                .param("now", toDb(now))
                .param("name", username)
                .update() == 1;
    }

    Optional<String> passwordHash(String username) {
        return jdbc.sql("SELECT password_hash FROM app_user WHERE LOWER(username) = LOWER(:name) AND NOT disabled")
                .param("name", username).query(String.class).optional();
    }

    Optional<LocalAccount> byUsername(String username) {
        return account(jdbc.sql(ACCOUNT_WITH_ROLES + "LOWER(u.username) = LOWER(:name)").param("name", username));
    }

    /** Runs on every request made with a personal token: one query for the user and the roles. */
    Optional<LocalAccount> byId(long id) {
        return account(jdbc.sql(ACCOUNT_WITH_ROLES + "u.id = :id").param("id", id));
    }

    private static final String ACCOUNT_WITH_ROLES = """
            SELECT u.id, u.username, u.must_change_password, u.disabled, r.role
            FROM app_user u LEFT JOIN user_role r ON r.user_id = u.id WHERE\s""";

    /** One row per role (or one with a NULL role); user names are unique in any case, so there is one user. */
    private static Optional<LocalAccount> account(JdbcClient.StatementSpec query) {
        List<LocalAccount> found = new ArrayList<>(1);
        Set<Role> roles = EnumSet.noneOf(Role.class);
        query.query(rs -> {
            if (found.isEmpty()) {
                found.add(new LocalAccount(rs.getLong("id"), rs.getString("username"), roles, rs.getBoolean("must_change_password"),
                        rs.getBoolean("disabled")));
            }
            String role = rs.getString("role");
            if (role != null) {
                roles.add(Role.valueOf(role));
            }
        });
        return found.stream().findFirst();
    }

    boolean setDisabled(String username, boolean disabled) {
        return jdbc.sql("UPDATE app_user SET disabled = :disabled WHERE username = :name")
                .param("disabled", disabled).param("name", username).update() == 1;
    }

    List<UserAccount> all() {
        Map<Long, Set<Role>> roles = new LinkedHashMap<>();
        jdbc.sql("SELECT user_id, role FROM user_role").query(rs -> {
            roles.computeIfAbsent(rs.getLong("user_id"), id -> EnumSet.noneOf(Role.class)).add(Role.valueOf(rs.getString("role")));
        });
        return jdbc.sql("""
                        SELECT id, username, must_change_password, disabled, created_at, password_changed_at
                        FROM app_user ORDER BY username""")
                .query((rs, n) -> new UserAccount(rs.getLong("id"), rs.getString("username"),
                        roles.getOrDefault(rs.getLong("id"), EnumSet.noneOf(Role.class)),
                        rs.getBoolean("must_change_password"), rs.getBoolean("disabled"),
                        read(rs, "created_at"), read(rs, "password_changed_at")))
                .list();
    }
}
