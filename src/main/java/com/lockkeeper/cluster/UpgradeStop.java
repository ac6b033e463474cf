package com.lockkeeper.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;

/**
 * Refuses to run a migration that earlier versions cannot run beside (an upgrade stop) while
 * another node has sent a heartbeat recently: such a migration changes what a running node of
 * the earlier version reads, so every node must be stopped before the first one of the new
 * version starts. A node that stopped (or crashed) is past the window after two missed
 * heartbeats; this node's own row, left by its earlier version, does not count.
 */
final class UpgradeStop implements Callback {

    /** Migrations that earlier versions cannot run beside. */
    static final List<String> STOPS = List.of("51");

    /** Two missed 30-second heartbeats and a little. */
    static final Duration RUNNING_WITHIN = Duration.ofSeconds(75);

    private final String nodeName;
    private final Clock clock;

    UpgradeStop(String nodeName, Clock clock) {
        this.nodeName = nodeName;
        this.clock = clock;
    }

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.BEFORE_EACH_MIGRATE && context.getMigrationInfo() != null
                && context.getMigrationInfo().getVersion() != null
                && STOPS.contains(context.getMigrationInfo().getVersion().getVersion());
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public void handle(Event event, Context context) {
        String version = context.getMigrationInfo().getVersion().getVersion();
        List<String> running = runningOthers(context.getConnection());
        if (!running.isEmpty()) {
            throw new IllegalStateException("Migration V" + version + " (" + context.getMigrationInfo().getDescription()
                    + ") changes what nodes of the earlier version read, so it runs only when no other node is running."
                    + " Running (a heartbeat in the last " + RUNNING_WITHIN.toSeconds() + " s): " + String.join(", ", running)
                    + ". Stop them, wait " + RUNNING_WITHIN.toSeconds() + " s, start this node (it migrates), then upgrade"
                    + " and start the others; see \"Upgrade\" in docs/operations.md.");
        }
    }

    private List<String> runningOthers(Connection connection) {
        List<String> running = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT name, version FROM node WHERE name <> ? AND last_seen > ? ORDER BY name")) {
            query.setString(1, nodeName);
            query.setObject(2, com.lockkeeper.support.DbTime.toDb(clock.instant().minus(RUNNING_WITHIN)));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    running.add(rows.getString(1) + " (version " + rows.getString(2) + ")");
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the node table before migration: " + e.getMessage(), e);
        }
        return running;
    }

    @Override
    public String getCallbackName() {
        return "lockkeeper-upgrade-stop";
    }
}
