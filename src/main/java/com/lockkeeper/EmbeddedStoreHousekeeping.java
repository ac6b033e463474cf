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
 * only closing the database does, for 200 ms. The process that holds the file rewrites the chunks
 * that have dead pages and lets the file shrink to what is live (a million imported keys: 7.8 GB
 * of file for 0.66 GB of live pages, compacted in about 15 s).
 * <p>
 * Only when this process holds the file: an admin command that reached a running server's
 * database through H2's mixed mode has a remote connection and leaves the store alone.
 */
public final class EmbeddedStoreHousekeeping {

    /** Slices in a row that may pass without a new low before compacting gives up. */
    private static final int PATIENCE = 10;
    private static final Duration SLICE = Duration.ofSeconds(2);

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
            MVStore store = localStore(connection);
            if (store == null) {
                return false;
            }
            shrink(store, System.nanoTime() + budget.toNanos());
            return true;
        }
    }

    /** Chunks fill the file, and live pages fill the chunks: what H2's own housekeeping aims at (90 %), less a margin. */
    private static boolean compact(MVStore store) {
        return store.getFillRate() >= 90 && store.getFileStore().getChunksFillRate() >= 80;
    }

    /** The H2 store of this process, or null: PostgreSQL, or a running server's database reached remotely. */
    private static MVStore localStore(Connection connection) throws SQLException {
        if (!connection.isWrapperFor(JdbcConnection.class)) {
            return null;
        }
        Session session = connection.unwrap(JdbcConnection.class).getSession();
        if (!(session instanceof SessionLocal local) || local.getDatabase().getStore() == null) {
            return null;
        }
        MVStore store = local.getDatabase().getStore().getMvStore();
        return store.getFileStore() == null || store.isClosed() ? null : store;
    }

    /**
     * Lets the file shrink to what is live, in slices of H2's {@code compactFile}, which rewrites and
     * moves chunks for as long as it is given: once the file is compact it goes on rewriting nearly
     * full chunks without shrinking anything (a million keys: compact after 13 s, then five minutes
     * of churn until the budget ran out). The file stops shrinking for a few slices before it drops
     * (H2 frees a chunk only some versions after its last live page moved), so compaction ends when
     * the file is compact by H2's measures, after ten slices without a new low, or at the deadline.
     */
    private static void shrink(MVStore store, long deadline) {
        long smallest = store.getFileStore().size();
        int slicesWithoutProgress = 0;
        while (!compact(store) && slicesWithoutProgress < PATIENCE && System.nanoTime() < deadline) {
            store.compactFile((int) Math.max(1, Math.min(SLICE.toMillis(), (deadline - System.nanoTime()) / 1_000_000)));
            long size = store.getFileStore().size();
            if (size < smallest - smallest / 100) {
                smallest = size;
                slicesWithoutProgress = 0;
            } else {
                slicesWithoutProgress++;
            }
        }
    }
}
