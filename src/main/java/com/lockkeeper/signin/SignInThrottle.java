package com.lockkeeper.signin;

import static com.lockkeeper.support.DbTime.read;
import static com.lockkeeper.support.DbTime.toDb;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Counts failed sign-ins per user name and per client address in the database, so that
 * every node of a cluster sees them, and says how long to wait once a limit is reached.
 */
final class SignInThrottle {

    private final JdbcClient jdbc;
    private final WebSettings.Throttle settings;
    private final Clock clock;

    SignInThrottle(JdbcClient jdbc, WebSettings.Throttle settings, Clock clock) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Records a sign-in attempt before its password is checked, then counts: of concurrent
     * guesses (on any node), only those that fit under the limits go on to a password check, the
     * row of each later one already counts against them. The row becomes the failure if the
     * password is wrong; {@link #succeeded} or {@link #withdraw} remove it otherwise.
     */
    Attempt begin(String username, String address) {
        Instant now = clock.instant();
        jdbc.sql("DELETE FROM signin_failure WHERE at < :cutoff").param("cutoff", toDb(now.minus(settings.window()))).update();
        long id = insert(key(username), address, now);
        Instant since = now.minus(settings.window());
        Optional<Instant> blockedUntil = beyondLimit("username", key(username), settings.maxFailures(), since, id)
                .or(() -> beyondLimit("address", address, settings.maxFailuresPerAddress(), since, id))
                .map(oldest -> oldest.plus(settings.window()));
        return new Attempt(id, blockedUntil.filter(until -> until.isAfter(now)).map(until -> Duration.between(now, until)));
    }

    /** An attempt that was not the caller's fault (throttled, directory unavailable) leaves no failure behind. */
    void withdraw(Attempt attempt) {
        jdbc.sql("DELETE FROM signin_failure WHERE id = :id").param("id", attempt.id()).update();
    }

    void succeeded(String username) {
        jdbc.sql("DELETE FROM signin_failure WHERE username = :username").param("username", key(username)).update();
    }

    /**
     * What a failed attempt locked: "user NAME" and/or "address A" when it is the one that
     * brought the failures in the window to a limit (later failures while locked are withdrawn,
     * so each lockout is told once).
     */
    java.util.List<String> lockedBy(Attempt attempt, String username, String address) {
        Instant since = clock.instant().minus(settings.window());
        java.util.List<String> locked = new java.util.ArrayList<>();
        if (settings.maxFailures() > 0 && failuresUpTo("username", key(username), since, attempt.id()) == settings.maxFailures()) {
            locked.add("user " + key(username));
        }
        if (settings.maxFailuresPerAddress() > 0
                && failuresUpTo("address", address, since, attempt.id()) == settings.maxFailuresPerAddress()) {
            locked.add("address " + address);
        }
        return locked;
    }

    private long failuresUpTo(String column, String value, Instant since, long id) {
        return jdbc.sql("SELECT COUNT(*) FROM signin_failure WHERE " + column + " = :value AND at >= :since AND id <= :id")
                .param("value", value).param("since", toDb(since)).param("id", id).query(Long.class).single();
    }

    /** A recorded attempt, and how long to wait if it is over a limit. */
    record Attempt(long id, Optional<Duration> mustWait) {
    }

    private long insert(String username, String address, Instant at) {
        org.springframework.jdbc.support.GeneratedKeyHolder keys = new org.springframework.jdbc.support.GeneratedKeyHolder();
        jdbc.sql("INSERT INTO signin_failure (username, address, at) VALUES (:username, :address, :at)")
                .param("username", username).param("address", address).param("at", toDb(at))
                .update(keys, "id");
        return keys.getKeyAs(Number.class).longValue();
    }

    /**
     * When other attempts recorded before this one ({@code id}), in the window, already reach
     * {@code limit}: the time of the oldest of the latest {@code limit} of them.
     */
    private Optional<Instant> beyondLimit(String column, String value, int limit, Instant since, long id) {
        if (limit <= 0) {
            return Optional.empty();
        }
        return jdbc.sql("SELECT at FROM signin_failure WHERE " + column + " = :value AND at >= :since AND id <> :id"
                        + " ORDER BY at DESC LIMIT :limit")
                .param("value", value).param("since", toDb(since)).param("id", id).param("limit", limit)
                .query((rs, n) -> read(rs, "at"))
                .list()
                .stream()
                .skip(limit - 1L)
                .findFirst();
    }

    private static String key(String username) {
        String lower = username.toLowerCase(Locale.ROOT);
        return lower.length() > 256 ? lower.substring(0, 256) : lower;
    }
}
