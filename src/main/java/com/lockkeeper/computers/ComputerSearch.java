package com.lockkeeper.computers;

import static com.lockkeeper.support.DbTime.read;

import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.VolumeId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Read-only SQL behind helpdesk search and self-service: computers, their users and key metadata. */
public class ComputerSearch {

    public static final int MAX_CANDIDATES = 25;

    private static final String KEYS = """
            SELECT k.protector_id, c.id AS computer_id, c.name AS computer_name, v.volume_guid, v.volume_type, v.drive_label,
                   k.status, k.created_at, k.escrowed_at, s.key_package_ct IS NOT NULL AS has_package,
                   k.device_verifier IS NOT NULL AS differs,
                   k.unapproved
            FROM recovery_key k JOIN volume v ON v.id = k.volume_id JOIN computer c ON c.id = v.computer_id
                 JOIN key_secret s ON s.key_id = k.id
            """;
    private static final String NEWEST_FIRST = " ORDER BY k.created_at DESC, k.escrowed_at DESC, k.id DESC";

    // The lookups the helpdesk runs most; LookupIndexTest proves with EXPLAIN that each uses an index.
    // A computer with its users in one query: one row per user (or one with a NULL account).
    private static final String COMPUTER_WITH_USERS = """
            SELECT c.id, c.name, c.domain, u.account FROM computer c LEFT JOIN computer_user u ON u.computer_id = c.id
            """;
    static final String COMPUTER_BY_NAME = COMPUTER_WITH_USERS + "WHERE c.name = :name ORDER BY u.account";
    static final String KEYS_OF_COMPUTER = KEYS + "WHERE c.id = :id" + NEWEST_FIRST;
    static final String KEYS_BY_ID_PREFIX = KEYS + "WHERE k.protector_id LIKE :prefix" + NEWEST_FIRST + " LIMIT :limit";

    private final JdbcClient jdbc;

    ComputerSearch(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The computer with exactly this name (upper case, as stored). */
    public Optional<ComputerSummary> byName(String name) {
        return computerWithUsers(jdbc.sql(COMPUTER_BY_NAME).param("name", name));
    }

    /** Computers whose name contains the text, any case: candidates for a partial name. */
    public List<ComputerSummary> nameContains(String text) {
        List<ComputerSummary> found = new ArrayList<>();
        jdbc.sql("SELECT id, name, domain FROM computer WHERE UPPER(name) LIKE :pattern ESCAPE '!' ORDER BY name LIMIT :limit")
                .param("pattern", "%" + Accounts.likeLiteral(text.toUpperCase(java.util.Locale.ROOT)) + "%")
                .param("limit", MAX_CANDIDATES)
                .query(rs -> {
                    found.add(new ComputerSummary(rs.getLong("id"), rs.getString("name"), rs.getString("domain"), List.of()));
                });
        return found.stream().map(c -> new ComputerSummary(c.id(), c.name(), c.domain(), users(c.id()))).toList();
    }

    public Optional<ComputerSummary> byId(long id) {
        return computerWithUsers(jdbc.sql(COMPUTER_WITH_USERS + "WHERE c.id = :id ORDER BY u.account").param("id", id));
    }

    private static Optional<ComputerSummary> computerWithUsers(JdbcClient.StatementSpec query) {
        List<ComputerSummary> found = new ArrayList<>(1);
        List<String> users = new ArrayList<>();
        query.query(rs -> {
            if (found.isEmpty()) {
                found.add(new ComputerSummary(rs.getLong("id"), rs.getString("name"), rs.getString("domain"), users));
            }
            String account = rs.getString("account");
            if (account != null) {
                users.add(account);
            }
        });
        return found.stream().findFirst().map(c -> new ComputerSummary(c.id(), c.name(), c.domain(), List.copyOf(users)));
    }

    /** Computers one of whose associated users is this account (compared by bare name, any case). */
    public List<ComputerSummary> associatedWith(String account) {
        String bare = Accounts.bare(account);
        if (bare.isEmpty()) {
            return List.of();
        }
        List<Long> ids = jdbc.sql("""
                        SELECT DISTINCT c.id, c.name FROM computer c JOIN computer_user u ON u.computer_id = c.id
                        WHERE LOWER(u.account) = :bare OR LOWER(u.account) LIKE :domainForm ESCAPE '!'
                           OR LOWER(u.account) LIKE :upnForm ESCAPE '!'
                        ORDER BY c.name""")
                .param("bare", bare)
                .param("domainForm", "%\\" + Accounts.likeLiteral(bare))
                .param("upnForm", Accounts.likeLiteral(bare) + "@%")
                .query((rs, n) -> rs.getLong("id"))
                .list();
        // The LIKE forms over-approximate (a backslash inside a domain part); the exact rule decides.
        return ids.stream().map(id -> byId(id).orElseThrow()).filter(c -> c.associated(account)).toList();
    }

    public List<String> users(long computerId) {
        return jdbc.sql("SELECT account FROM computer_user WHERE computer_id = :id ORDER BY account")
                .param("id", computerId).query(String.class).list();
    }

    /** The computer's keys, newest first. */
    public List<KeySummary> keysOf(long computerId) {
        return jdbc.sql(KEYS_OF_COMPUTER).param("id", computerId).query(ComputerSearch::key).list();
    }

    /** Keys whose recovery password ID starts with the normalized hex prefix, across all computers. */
    public List<KeySummary> keysByIdPrefix(String hexPrefix) {
        return jdbc.sql(KEYS_BY_ID_PREFIX)
                .param("prefix", hexPrefix + "%")
                .param("limit", MAX_CANDIDATES)
                .query(ComputerSearch::key).list();
    }

    public Optional<KeySummary> key(ProtectorId id) {
        return jdbc.sql(KEYS + "WHERE k.protector_id = :id").param("id", id.hex()).query(ComputerSearch::key).optional();
    }

    private static KeySummary key(ResultSet rs, int n) throws SQLException {
        return new KeySummary(ProtectorId.fromHex(rs.getString("protector_id")), rs.getLong("computer_id"),
                rs.getString("computer_name"), VolumeId.of(rs.getObject("volume_guid", UUID.class)), rs.getString("volume_type"),
                rs.getString("drive_label"), KeyStatus.fromDb(rs.getString("status")), read(rs, "created_at"),
                read(rs, "escrowed_at"), rs.getBoolean("has_package"), rs.getBoolean("differs"),
                rs.getBoolean("unapproved"));
    }
}
