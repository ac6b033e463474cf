package com.lockkeeper.backup;

import com.lockkeeper.support.IoProblems;
import com.lockkeeper.support.OwnerOnlyFiles;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.zip.Deflater;
import java.util.zip.ZipOutputStream;
import org.h2.engine.Database;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Copies the embedded database's file as of one quiet moment, inside the process that holds it
 * (H2 runs {@link #copyTo} there as the SQL function {@code lockkeeper_copy_store}: an admin
 * command reaches the server's database through H2's auto-server connection).
 *
 * <p>H2's own {@code BACKUP TO} copies the file while other sessions keep committing: the copy can
 * catch a chunk half-written, and a store taken while a transaction commits is consistent per
 * table, not across tables (H2 issues 2080 and 4069). Restored, such a copy held an audit record
 * whose content did not match its hash. Here the database is first made quiet — new statements
 * wait (H2's exclusive mode) until the ones already running end — and stored; then the file is
 * copied while H2's store lock is held, so no chunk is written during the copy. Statements wait
 * only until that store is on disk; commits wait for the copy, reads do not.
 */
public final class StoreCopy {

    static final String FUNCTION = "lockkeeper_copy_store";
    /** A statement still running after this long (waiting for a row lock, say) no longer holds the backup up. */
    static final long QUIET_WAIT_MILLIS = 10_000;

    private StoreCopy() {
    }

    /** Copies the database that {@code jdbc} reaches into a new zip {@code file}, in the process that holds it. */
    static void copy(JdbcClient jdbc, Path file) {
        jdbc.sql("CREATE ALIAS IF NOT EXISTS " + FUNCTION + " FOR '" + StoreCopy.class.getName() + ".copyTo'").update();
        try {
            jdbc.sql("CALL " + FUNCTION + "(:file)").param("file", file.toString()).query(Long.class).single();
        } catch (DataAccessException e) {
            String why = e.getMostSpecificCause().getMessage();
            throw new UncheckedIOException("cannot copy the database into " + file + ": " + why, new IOException(why, e));
        }
    }

    /** Writes the database file into a new zip {@code file} (0600); answers its size. */
    public static long copyTo(Connection connection, String file) throws SQLException {
        SessionLocal session = (SessionLocal) connection.unwrap(JdbcConnection.class).getSession();
        Path zipFile = Path.of(file);
        try {
            OwnerOnlyFiles.createNew(zipFile, new byte[0]);
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(zipFile, StandardOpenOption.WRITE), 1 << 20)) {
                copy(session, out);
            }
            return Files.size(zipFile);
        } catch (IOException e) {
            throw new SQLException("cannot write " + zipFile + ": " + IoProblems.describe(e), e);
        }
    }

    /** Writes the file of {@code session}'s database, zipped, to {@code out}. */
    static void copy(SessionLocal session, OutputStream out) throws IOException, SQLException {
        Database database = session.getDatabase();
        MVStore store = database.getStore().getMvStore();
        if (!database.setExclusiveSession(session, false)) {
            throw new SQLException("another session holds the database exclusively (a backup running?); try again");
        }
        boolean[] released = new boolean[1];
        IOException[] failed = new IOException[1];
        try {
            waitUntilOthersAreIdle(database, session);
            store.commit();
            ZipOutputStream zip = new ZipOutputStream(out);
            zip.setLevel(Deflater.NO_COMPRESSION); // commits wait for the copy: no compressing under the lock
            // Nothing may leave this operation by an exception: H2 takes any as a broken store and closes the database.
            store.executeFilestoreOperation(() -> {
                released[0] = database.unsetExclusiveSession(session);
                try {
                    store.getFileStore().backup(zip);
                } catch (IOException e) {
                    failed[0] = e;
                } catch (RuntimeException e) {
                    failed[0] = new IOException(e.getClass().getSimpleName(), e);
                }
            });
            if (failed[0] != null) {
                throw failed[0];
            }
            zip.finish();
        } finally {
            if (!released[0]) {
                database.unsetExclusiveSession(session);
            }
        }
    }

    /** New statements of other sessions wait in exclusive mode; this waits for the running ones to end. */
    private static void waitUntilOthersAreIdle(Database database, SessionLocal self) {
        long deadline = System.nanoTime() + QUIET_WAIT_MILLIS * 1_000_000;
        while (anotherIsRunning(database, self) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static boolean anotherIsRunning(Database database, SessionLocal self) {
        for (SessionLocal other : database.getSessions(false)) {
            if (other != self && other != database.getLobSession() && other.getCurrentCommand() != null) {
                return true;
            }
        }
        return false;
    }
}
