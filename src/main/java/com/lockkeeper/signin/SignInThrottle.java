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

    /** How long this user name or address must wait, if either has reached its limit. */
    Optional<Duration> waitFor(String username, String address) {
        Instant now = clock.instant();
        Instant since = now.minus(settings.window());
        Optional<Instant> blockedUntil = oldestIfAtLimit("username", key(username), settings.maxFailures(), since)
                .or(() -> oldestIfAtLimit("address", address, settings.maxFailuresPerAddress(), since))
                .map(oldest -> oldest.plus(settings.window()));
        return blockedUntil.filter(until -> until.isAfter(now)).map(until -> Duration.between(now, until));
    }

    void failed(String username, String address) {
        Instant now = clock.instant();
        jdbc.sql("DELETE FROM signin_failure WHERE at < :cutoff").param("cutoff", toDb(now.minus(settings.window()))).update();
        jdbc.sql("INSERT INTO signin_failure (username, address, at) VALUES (:username, :address, :at)")
                .param("username", key(username)).param("address", address).param("at", toDb(now)).update();
    }

    void succeeded(String username) {
        jdbc.sql("DELETE FROM signin_failure WHERE username = :username").param("username", key(username)).update();
    }

    /** With {@code limit} or more failures since {@code since}: the oldest of the latest {@code limit}. */
    private Optional<Instant> oldestIfAtLimit(String column, String value, int limit, Instant since) {
        if (limit <= 0) {
            return Optional.empty();
        }
        return jdbc.sql("SELECT at FROM signin_failure WHERE " + column + " = :value AND at >= :since ORDER BY at DESC"
                        + " LIMIT :limit")
                .param("value", value).param("since", toDb(since)).param("limit", limit)
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
