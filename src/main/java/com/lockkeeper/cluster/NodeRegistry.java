package com.lockkeeper.cluster;

import static com.lockkeeper.support.DbTime.read;
import static com.lockkeeper.support.DbTime.toDb;

import com.lockkeeper.keys.Barrier;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Server nodes record a heartbeat (name, version, last seen, sealed or open) so that
 * `lockkeeper status` on any node shows at a glance which nodes can decrypt.
 */
public final class NodeRegistry {

    private final JdbcClient jdbc;
    private final Barrier barrier;
    private final Clock clock;
    private final String version;
    private Instant startedAt;

    NodeRegistry(JdbcClient jdbc, Barrier barrier, Clock clock, String version) {
        this.jdbc = jdbc;
        this.barrier = barrier;
        this.clock = clock;
        this.version = version;
    }

    /** Records this node as running now, with its current state. */
    public synchronized void heartbeat() {
        Instant now = clock.instant();
        if (startedAt == null) {
            startedAt = now;
        }
        barrier.forget(); // re-read the registration, so a DMK rotated elsewhere seals this node within a heartbeat
        String state = barrier.state().label();
        int updated = jdbc.sql("""
                        UPDATE node SET version = :version, started_at = :started, last_seen = :now, state = :state
                        WHERE name = :name""")
                .param("version", version).param("started", toDb(startedAt)).param("now", toDb(now))
                .param("state", state).param("name", barrier.nodeName())
                .update();
        if (updated == 0) {
            jdbc.sql("""
                            INSERT INTO node (name, version, started_at, last_seen, state)
                            VALUES (:name, :version, :started, :now, :state) ON CONFLICT DO NOTHING""")
                    .param("name", barrier.nodeName()).param("version", version).param("started", toDb(startedAt))
                    .param("now", toDb(now)).param("state", state)
                    .update();
        }
    }

    /**
     * After a ceremony that opened or sealed a node ({@code dmk register}, {@code unregister},
     * {@code rotate}): its row says so at once instead of at its next heartbeat. Only the state
     * changes; a node that never ran as a server gets no row.
     */
    public void recordState(String nodeName, boolean open) {
        jdbc.sql("UPDATE node SET state = :state WHERE name = :name")
                .param("state", open ? "open" : "sealed").param("name", nodeName)
                .update();
    }

    public List<NodeInfo> nodes() {
        return jdbc.sql("SELECT name, version, started_at, last_seen, state FROM node ORDER BY name")
                .query((rs, n) -> new NodeInfo(rs.getString("name"), rs.getString("version"), read(rs, "started_at"),
                        read(rs, "last_seen"), rs.getString("state")))
                .list();
    }
}
