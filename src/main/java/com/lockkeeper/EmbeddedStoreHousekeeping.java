package com.lockkeeper;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import javax.sql.DataSource;
import org.h2.engine.Session;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * The housekeeping of the embedded H2 file that H2's own background writer would do. With
 * {@code WRITE_DELAY=0} (every commit written before it returns) H2 runs no background writer, so
 * nothing ever rewrote the live pages of old chunks: each commit that touches a random row (a
 * reveal's disclosure and recovery event, an escrow) left a chunk that a few live pages kept from
 * being reused, and the file grew by some 45 KB per reveal — to gigabytes within hours under load.
 * Here the server rewrites the sparsest chunks a little at a time (at most {@link #WRITE_LIMIT}
 * bytes a round, under H2's store lock like any commit) and writes them itself, so freed chunks
 * are reused and the file stays within about twice its live data.
 * <p>
 * Only the process that holds the file does it: an admin command that reached the server's
 * database through H2's mixed mode has a remote session and leaves the store alone.
 */
public final class EmbeddedStoreHousekeeping {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedStoreHousekeeping.class);

    /** Compact while live pages fill less than this share of the chunks (H2's own default is 90, which rewrites nearly always). */
    static final int TARGET_FILL_RATE = 50;
    /** Bytes of live pages rewritten per round: bounds how long a round holds the store lock. */
    static final int WRITE_LIMIT = 2 * 1024 * 1024;

    private final DataSource dataSource;
    private final boolean periodic;

    /** {@code periodic}: the server does the rounds; an admin command only compacts when asked ({@link #compactNow}). */
    EmbeddedStoreHousekeeping(DataSource dataSource, boolean periodic) {
        this.dataSource = dataSource;
        this.periodic = periodic;
    }

    @Scheduled(initialDelayString = "${lockkeeper.h2.housekeeping-interval:1s}",
            fixedDelayString = "${lockkeeper.h2.housekeeping-interval:1s}")
    void periodically() {
        if (!periodic) {
            return;
        }
        try {
            withLocalStore(store -> {
                if (store.compact(TARGET_FILL_RATE, WRITE_LIMIT)) {
                    store.tryCommit(); // write the moved pages now, not in the next request's commit
                }
                return null;
            });
        } catch (RuntimeException | SQLException e) {
            // Never fail the server over it; the next round tries again.
            log.warn("embedded database housekeeping failed: {}", e.getClass().getSimpleName());
        }
    }

    /**
     * Rewrites the whole file into as few chunks as it needs, for at most {@code budget}: after a
     * bulk import, which leaves the file mostly free space. Answers false when another process (a
     * running server) holds the file and does its own housekeeping.
     */
    public boolean compactNow(Duration budget) throws SQLException {
        return withLocalStore(store -> {
            store.compact(99, Integer.MAX_VALUE); // every chunk with dead pages: its live pages move to new chunks
            store.commit();
            store.compactFile((int) Math.min(Integer.MAX_VALUE, budget.toMillis())); // and the file shrinks to what is live
            return true;
        }).orElse(false);
    }

    /** The size of the database file, in bytes, when this process holds it. */
    public Optional<Long> fileSize() throws SQLException {
        return withLocalStore(store -> store.getFileStore().size());
    }

    private <T> Optional<T> withLocalStore(Function<MVStore, T> action) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.isWrapperFor(JdbcConnection.class)) {
                return Optional.empty(); // PostgreSQL
            }
            Session session = connection.unwrap(JdbcConnection.class).getSession();
            if (!(session instanceof SessionLocal local) || local.getDatabase().getStore() == null) {
                return Optional.empty();
            }
            MVStore store = local.getDatabase().getStore().getMvStore();
            if (store.getFileStore() == null || store.isClosed()) {
                return Optional.empty();
            }
            return Optional.ofNullable(action.apply(store));
        }
    }
}
