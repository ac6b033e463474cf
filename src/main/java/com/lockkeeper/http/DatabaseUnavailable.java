package com.lockkeeper.http;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Tells a failure of the database connection (the database is down, restarting, failing over,
 * or this node cannot reach it) from a failure of the request. The first is worth retrying and
 * answers 503 with Retry-After; the second stays a 500.
 */
public final class DatabaseUnavailable {

    public static final int RETRY_AFTER_SECONDS = 2;
    public static final String TITLE = "The database is unavailable";
    public static final String DETAIL = "the database is unavailable (it may be failing over); nothing was acknowledged."
            + " Send the same request again after the Retry-After delay";

    /** The 503 answer, for filters that run before the controllers' exception handling. */
    public static void write(jakarta.servlet.http.HttpServletResponse response) throws java.io.IOException {
        response.setStatus(503);
        response.setHeader("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
        response.setContentType("application/problem+json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write("{\"type\":\"" + Problems.TYPE_BASE + "database-unavailable\",\"title\":\"" + TITLE
                + "\",\"status\":503,\"detail\":\"" + DETAIL + "\"}");
    }

    private DatabaseUnavailable() {
    }

    public static boolean causedBy(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DataAccessResourceFailureException // includes CannotGetJdbcConnectionException
                    || t instanceof TransientDataAccessException
                    || t instanceof RecoverableDataAccessException
                    || t instanceof CannotCreateTransactionException
                    || t instanceof SQLTransientException // includes Hikari's connection timeout
                    || t instanceof SQLRecoverableException
                    || t instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof TransactionSystemException tx && (connectionState(tx.getCause()) || closedByPool(tx.getCause())
                    || causedBy(tx.getApplicationException()))) {
                // A rollback that fails after the statement failed: the failure that matters is the statement's
                // (kept as the application exception), and a pool that closed the connection under it lost it.
                return true;
            }
            if (t instanceof SQLException sql && connectionState(sql)) {
                return true;
            }
        }
        return false;
    }

    /**
     * SQLSTATE classes of a lost or refused connection: 08 (connection exception), 57P01-57P03
     * (the server is shutting down or starting), 53 (insufficient resources), and 25006 (a
     * read-only transaction: connected to a standby that is not yet promoted).
     */
    private static boolean connectionState(Throwable t) {
        if (!(t instanceof SQLException sql) || sql.getSQLState() == null) {
            return false;
        }
        String state = sql.getSQLState();
        return state.startsWith("08") || state.startsWith("57P") || state.startsWith("53") || state.equals("25006");
    }

    /** HikariCP closes a connection that failed with a connection error; using it again fails without a SQLSTATE. */
    private static boolean closedByPool(Throwable t) {
        return t instanceof SQLException sql && sql.getSQLState() == null && "Connection is closed".equals(sql.getMessage());
    }

    /** Class names only: driver messages can quote SQL, never request values, but keep the log lean. */
    public static String describe(Throwable e) {
        StringBuilder chain = new StringBuilder();
        for (Throwable t = e; t != null && chain.length() < 400; t = t.getCause() == t ? null : t.getCause()) {
            if (!chain.isEmpty()) {
                chain.append(" <- ");
            }
            chain.append(t.getClass().getSimpleName());
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                chain.append('[').append(sql.getSQLState()).append(']');
            }
        }
        return chain.toString();
    }
}
