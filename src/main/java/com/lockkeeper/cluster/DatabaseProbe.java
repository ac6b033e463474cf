package com.lockkeeper.cluster;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Whether this node reaches its database now: one trivial query, bounded by the pool's connection timeout. */
final class DatabaseProbe {

    private final JdbcClient jdbc;

    DatabaseProbe(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    boolean reachable() {
        try {
            return jdbc.sql("SELECT 1").query(Integer.class).single() == 1;
        } catch (DataAccessException e) {
            return false;
        }
    }
}
