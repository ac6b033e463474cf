package com.lockkeeper.recovery;

import static com.lockkeeper.support.DbTime.toDb;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.OptionalLong;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;

/**
 * The self-service limit (so many reveals per person per window), counted in the database: a
 * reveal takes its place before the key is opened, and only then counts the places taken, so
 * two requests at once, on one node or two, cannot both slip under the limit.
 */
final class SelfServiceAllowance {

    private final JdbcClient jdbc;
    private final Clock clock;
    private final int max;
    private final Duration window;

    SelfServiceAllowance(JdbcClient jdbc, Clock clock, int max, Duration window) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.max = max;
        this.window = window;
    }

    /** A place for one reveal by {@code username}, or empty when the limit is reached (nothing is kept then). */
    OptionalLong take(String username) {
        Instant now = clock.instant();
        jdbc.sql("DELETE FROM self_service_reveal WHERE at < :cutoff").param("cutoff", toDb(now.minus(window))).update();
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO self_service_reveal (username, at) VALUES (:username, :at)")
                .param("username", key(username)).param("at", toDb(now)).update(keys, "id");
        long id = keys.getKeyAs(Number.class).longValue();
        long others = jdbc.sql("SELECT COUNT(*) FROM self_service_reveal WHERE username = :username AND at >= :since AND id <> :id")
                .param("username", key(username)).param("since", toDb(now.minus(window))).param("id", id)
                .query(Long.class).single();
        if (others >= max) {
            giveBack(id);
            return OptionalLong.empty();
        }
        return OptionalLong.of(id);
    }

    /** A place whose reveal did not happen (no such key, refused, failed). */
    void giveBack(long id) {
        jdbc.sql("DELETE FROM self_service_reveal WHERE id = :id").param("id", id).update();
    }

    long used(String username) {
        return jdbc.sql("SELECT COUNT(*) FROM self_service_reveal WHERE username = :username AND at >= :since")
                .param("username", key(username)).param("since", toDb(clock.instant().minus(window)))
                .query(Long.class).single();
    }

    private static String key(String username) {
        String lower = username.toLowerCase(Locale.ROOT);
        return lower.length() > 256 ? lower.substring(0, 256) : lower;
    }
}
