package dev.troupe.memory.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The databases the memory stores run on, and how each begins, ends and serialises transactions;
 * the SQL the stores write is common to both.
 */
public enum Dialect {
    /**
     * SQLite in WAL mode. Transactions are begun by SQL rather than through JDBC auto-commit, because
     * the driver opens the next transaction right after each commit: with IMMEDIATE that would grab
     * the write lock again and could even fail a commit that already happened.
     */
    SQLITE {
        @Override
        void begin(Connection c, boolean write) throws SQLException {
            // IMMEDIATE takes the write lock up front, waiting out the busy timeout; a deferred
            // transaction that reads and then writes could fail at once with SQLITE_BUSY instead.
            exec(c, write ? "BEGIN IMMEDIATE" : "BEGIN");
        }

        @Override
        void commit(Connection c) throws SQLException {
            exec(c, "COMMIT");
        }

        @Override
        void rollback(Connection c) throws SQLException {
            exec(c, "ROLLBACK");
        }

        @Override
        void lockSchema(Connection c) {
            // BEGIN IMMEDIATE already holds the database's single write lock.
        }

        @Override
        boolean tableExists(Connection c, String table) throws SQLException {
            return exists(c, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", table);
        }
    },

    /** PostgreSQL: reads see one snapshot (REPEATABLE READ), writes run at READ COMMITTED. */
    POSTGRESQL {
        @Override
        void begin(Connection c, boolean write) throws SQLException {
            c.setAutoCommit(false);
            // Set both every time: a reused connection keeps what its previous transaction set.
            // Reads get one snapshot for every table they read, so a load never mixes two saves.
            c.setTransactionIsolation(write ? Connection.TRANSACTION_READ_COMMITTED : Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(!write);
        }

        @Override
        void commit(Connection c) throws SQLException {
            c.commit();
        }

        @Override
        void rollback(Connection c) throws SQLException {
            c.rollback();
        }

        @Override
        void lockSchema(Connection c) throws SQLException {
            // Two processes opening the same schema at once: the second waits here until the first
            // has committed its migrations, then finds them applied. The lock ends with the transaction.
            exec(c, "SELECT pg_advisory_xact_lock(hashtext(coalesce(current_schema(), '') || '/troupe.schema_version'))");
        }

        @Override
        boolean tableExists(Connection c, String table) throws SQLException {
            // to_regclass resolves the name through the search path, i.e. in the current schema.
            return exists(c, "SELECT 1 WHERE to_regclass(?) IS NOT NULL", table);
        }
    };

    abstract void begin(Connection c, boolean write) throws SQLException;

    abstract void commit(Connection c) throws SQLException;

    abstract void rollback(Connection c) throws SQLException;

    /** Serialises schema migrations against every other process opening the same database. */
    abstract void lockSchema(Connection c) throws SQLException;

    /** Whether {@code table} exists where this connection creates tables. */
    abstract boolean tableExists(Connection c, String table) throws SQLException;

    private static boolean exists(Connection c, String sql, String table) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(sql)) {
            q.setString(1, table);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next();
            }
        }
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
