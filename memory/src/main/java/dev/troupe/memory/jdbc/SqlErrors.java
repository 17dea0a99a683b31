package dev.troupe.memory.jdbc;

import dev.troupe.memory.error.StoreException;
import java.sql.SQLException;

/** The one place that decides which database errors are worth retrying. */
final class SqlErrors {
    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;

    private SqlErrors() {}

    /** Wraps a failure before or during a transaction's work: nothing was committed. */
    static StoreException failed(Database db, String what, SQLException e) {
        boolean retriable = retriable(db.dialect(), e);
        return new StoreException(db.label() + ": could not " + what + ": " + describe(e)
                + (retriable ? " (transient: nothing was written; try again)" : ""), retriable, e);
    }

    /**
     * Wraps a failed commit. When the connection broke during it, the server may have committed or
     * not; retrying blindly could apply a change twice, so such failures are not retriable.
     */
    static StoreException commitFailed(Database db, String what, SQLException e) {
        if (isConnectionFailure(e)) {
            return new StoreException(db.label() + ": could not " + what + ": the connection failed while committing, so "
                    + "whether the change was saved is unknown; reload before trying again: " + describe(e), false, e);
        }
        return failed(db, what, e);
    }

    static boolean retriable(Dialect dialect, SQLException e) {
        return switch (dialect) {
            case SQLITE -> e.getErrorCode() == SQLITE_BUSY || e.getErrorCode() == SQLITE_LOCKED;
            case POSTGRESQL -> {
                String state = e.getSQLState() == null ? "" : e.getSQLState();
                yield state.equals("40001")        // serialization_failure
                        || state.equals("40P01")   // deadlock_detected
                        || state.equals("55P03")   // lock_not_available
                        || state.equals("53300")   // too_many_connections
                        || state.equals("57P01")   // admin_shutdown
                        || state.equals("57P03")   // cannot_connect_now
                        || isConnectionFailure(e);
            }
        };
    }

    private static boolean isConnectionFailure(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("08");
    }

    private static String describe(SQLException e) {
        String state = e.getSQLState() == null ? "" : " [SQLState " + e.getSQLState() + "]";
        return e.getMessage() + state;
    }
}
