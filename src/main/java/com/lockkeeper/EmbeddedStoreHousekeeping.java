package com.lockkeeper;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.h2.engine.Session;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;

/**
 * Compacts the embedded H2 file after a bulk import. An import commits a thousand keys at a time
 * and leaves the file mostly dead chunks (live pages filled about a third of the chunks' space),
 * and with {@code WRITE_DELAY=0} H2 runs no background writer, so nothing compacts them later:
 * only closing the database does, for 200 ms. The process that holds the file rewrites every
 * chunk that has dead pages and lets the file shrink to what is live.
 * <p>
 * Only when this process holds the file: an admin command that reached a running server's
 * database through H2's mixed mode has a remote connection and leaves the store alone.
 */
public final class EmbeddedStoreHousekeeping {

    private final DataSource dataSource;

    EmbeddedStoreHousekeeping(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Compacts for at most {@code budget}. Answers false, doing nothing, when the database is not
     * the embedded one or another process (a running server) holds the file.
     */
    public boolean compactNow(Duration budget) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.isWrapperFor(JdbcConnection.class)) {
                return false; // PostgreSQL
            }
            Session session = connection.unwrap(JdbcConnection.class).getSession();
            if (!(session instanceof SessionLocal local) || local.getDatabase().getStore() == null) {
                return false;
            }
            MVStore store = local.getDatabase().getStore().getMvStore();
            if (store.getFileStore() == null || store.isClosed()) {
                return false;
            }
            store.compact(99, Integer.MAX_VALUE); // every chunk with dead pages: its live pages move to new chunks
            store.commit();
            store.compactFile((int) Math.min(Integer.MAX_VALUE, budget.toMillis())); // and the file shrinks to what is live
            return true;
        }
    }
}
