package dev.troupe.memory.jdbc;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import dev.troupe.memory.error.MissingDriverException;
import dev.troupe.memory.error.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.regex.Pattern;

/**
 * A SQLite file or a PostgreSQL database that memory stores keep their tables in: it runs each
 * unit of work in one transaction (committed whole or not at all) and applies versioned schema
 * migrations; safe to share between threads, and closed when done to release the connections
 * it keeps for reuse.
 */
public final class Database implements AutoCloseable {
    /** Where the embedded default lives, relative to a workspace. */
    public static final String WORKSPACE_FILE = ".troupe/troupe.db";

    /** WAL pages (4 KiB each) after which a SQLite commit checkpoints the WAL into the database file. */
    private static final int WAL_CHECKPOINT_PAGES = 10_000;

    /** How long a SQLite writer waits for another process's write to finish before giving up. */
    public static final Duration SQLITE_BUSY_TIMEOUT = Duration.ofSeconds(10);

    private static final Pattern COMPONENT = Pattern.compile("[a-z][a-z0-9_.-]{0,63}");
    private static final Pattern PASSWORD = Pattern.compile("([?&]password=)[^&]*", Pattern.CASE_INSENSITIVE);

    /**
     * Connections kept open between transactions. Reuse spares PostgreSQL a new session per call,
     * and SQLite the checkpoint and WAL deletion that closing its last connection triggers.
     */
    public static final int MAX_IDLE_CONNECTIONS = 4;

    private final Dialect dialect;
    private final String label;
    private final ConnectionSource connections;
    private final BlockingQueue<Connection> idle = new ArrayBlockingQueue<>(MAX_IDLE_CONNECTIONS);
    private volatile boolean closed;

    private Database(Dialect dialect, String label, ConnectionSource connections) {
        this.dialect = dialect;
        this.label = label;
        this.connections = connections;
    }

    /**
     * A database reached through any connection source, e.g. a pool. Up to
     * {@value #MAX_IDLE_CONNECTIONS} connections stay open between transactions, so size a pool
     * for them.
     *
     * @param label names the database in error messages, e.g. {@code sqlite:troupe-workspace/.troupe/troupe.db}
     */
    public static Database of(Dialect dialect, String label, ConnectionSource connections) {
        Objects.requireNonNull(dialect, "dialect must not be null");
        checkArgument(label != null && !label.isBlank(), "database label must not be blank but was '%s'", label);
        Objects.requireNonNull(connections, "connection source must not be null");
        return new Database(dialect, label, connections);
    }

    /**
     * A SQLite file (created with its directories on first use) in WAL mode, with a busy timeout
     * so writers in several threads or processes take turns instead of failing.
     *
     * @throws MissingDriverException when {@code org.xerial:sqlite-jdbc} is not on the class path
     */
    public static Database sqlite(Path file) {
        Objects.requireNonNull(file, "SQLite file must not be null");
        Path absolute = file.toAbsolutePath().normalize();
        checkArgument(!Files.isDirectory(absolute), "SQLite file %s is a directory; name a file inside it, e.g. %s",
                absolute, absolute.resolve("troupe.db"));
        String url = "jdbc:sqlite:" + absolute;
        String label = "sqlite:" + absolute;
        Driver driver = Drivers.forUrl(Dialect.SQLITE, url, label);
        // sqlite-jdbc's connection properties (its SQLiteConfig pragmas), given by name so this module
        // compiles without the driver.
        Properties config = new Properties();
        config.setProperty("busy_timeout", Long.toString(SQLITE_BUSY_TIMEOUT.toMillis()));
        config.setProperty("journal_mode", "WAL");
        // In WAL mode, NORMAL syncs at checkpoints rather than at every commit: a commit survives the
        // process being killed at any point (what the run journal promises); only an operating-system
        // crash or power loss may take back the last commits. FULL would cost an fsync per message.
        config.setProperty("synchronous", "NORMAL");
        config.setProperty("foreign_keys", "true");
        return new Database(Dialect.SQLITE, label, () -> {
            try {
                Files.createDirectories(absolute.getParent());
            } catch (IOException e) {
                throw new SQLException("cannot create the directory " + absolute.getParent() + ": " + e, e);
            }
            Connection c = openRetryingBusy(driver, url, config);
            try (Statement st = c.createStatement()) {
                // Checkpoint (copy the WAL into the database file and sync both) every ~40 MB of WAL rather
                // than every ~4 MB: a journaled run commits a few pages per step, and each sync costs milliseconds.
                st.execute("PRAGMA wal_autocheckpoint = " + WAL_CHECKPOINT_PAGES);
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            return c;
        });
    }

    /**
     * Opens a SQLite connection. Opening applies pragmas (WAL mode among them) that a first open of a
     * fresh file by another connection can hold locked for a moment; such a busy open is retried until
     * the busy timeout has passed, as a busy statement would be.
     */
    private static Connection openRetryingBusy(Driver driver, String url, Properties config) throws SQLException {
        long deadline = System.nanoTime() + SQLITE_BUSY_TIMEOUT.toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                return driver.connect(url, config);
            } catch (SQLException e) {
                if (!SqlErrors.retriable(Dialect.SQLITE, e) || System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(Math.min(50, 5L * attempt));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** The embedded default: {@value #WORKSPACE_FILE} under {@code workspace}. */
    public static Database inWorkspace(Path workspace) {
        Objects.requireNonNull(workspace, "workspace must not be null");
        return sqlite(workspace.resolve(WORKSPACE_FILE));
    }

    /** A PostgreSQL database by JDBC URL, e.g. {@code jdbc:postgresql://db:5432/troupe?user=troupe}. */
    public static Database postgres(String url) {
        return postgres(url, new Properties());
    }

    /**
     * A PostgreSQL database by JDBC URL and driver properties ({@code user}, {@code password},
     * {@code currentSchema}…); tables go in the connection's current schema.
     *
     * @throws MissingDriverException when {@code org.postgresql:postgresql} is not on the class path
     */
    public static Database postgres(String url, Properties properties) {
        checkArgument(url != null && url.startsWith("jdbc:postgresql:"),
                "a PostgreSQL URL starts with jdbc:postgresql: (e.g. jdbc:postgresql://localhost:5432/troupe) but was '%s'", url);
        Objects.requireNonNull(properties, "properties must not be null");
        Properties copy = new Properties();
        copy.putAll(properties);
        String label = PASSWORD.matcher(url.substring("jdbc:".length())).replaceAll("$1***");
        Driver driver = Drivers.forUrl(Dialect.POSTGRESQL, url, label);
        return new Database(Dialect.POSTGRESQL, label, () -> driver.connect(url, copy));
    }

    /** A database by JDBC URL: {@code jdbc:sqlite:<file>} or {@code jdbc:postgresql://…}. */
    public static Database forUrl(String jdbcUrl) {
        checkArgument(jdbcUrl != null, "JDBC URL must not be null");
        if (jdbcUrl.startsWith("jdbc:sqlite:")) {
            String file = jdbcUrl.substring("jdbc:sqlite:".length());
            checkArgument(!file.isBlank() && !file.contains("?") && !file.startsWith(":memory:"),
                    "a SQLite memory URL names a file, e.g. jdbc:sqlite:/path/troupe.db, but was '%s'", jdbcUrl);
            return sqlite(Path.of(file));
        }
        checkArgument(jdbcUrl.startsWith("jdbc:postgresql:"),
                "unsupported memory database URL '%s'; use jdbc:sqlite:<file> or jdbc:postgresql://host:port/db", jdbcUrl);
        return postgres(jdbcUrl);
    }

    public Dialect dialect() {
        return dialect;
    }

    public String label() {
        return label;
    }

    /** Where this database gets fresh connections, e.g. to wrap them with a test hook. */
    public ConnectionSource connections() {
        return connections;
    }

    /**
     * Runs {@code work} in one write transaction and commits it. If the work throws, everything it
     * wrote is rolled back and the exception propagates (an {@link SQLException} as a
     * {@link StoreException} saying whether a retry may help).
     *
     * @param what what the work does, for error messages ("save task 'x'")
     */
    public <T> T write(String what, SqlWork<T> work) {
        return inTransaction(what, true, work);
    }

    /** Runs {@code work} in one read-only transaction that sees a single consistent snapshot. */
    public <T> T read(String what, SqlWork<T> work) {
        return inTransaction(what, false, work);
    }

    /**
     * Brings {@code component}'s tables to the latest of {@code migrations} (versions 1, 2, 3… in
     * order), applying only the missing ones, all in one transaction. Safe to call on every open
     * and from several processes at once: they serialise on the database and the later ones find
     * nothing to do.
     *
     * @return the schema version now in place
     * @throws StoreException when the database holds a newer version than {@code migrations} know
     */
    public int migrate(String component, List<Migration> migrations) {
        checkComponent(component);
        Objects.requireNonNull(migrations, "migrations must not be null");
        checkArgument(!migrations.isEmpty(), "no migrations given for component '%s'", component);
        for (int i = 0; i < migrations.size(); i++) {
            checkArgument(migrations.get(i).version() == i + 1,
                    "migrations of '%s' must be numbered 1, 2, 3… in order, but position %s holds version %s",
                    component, i + 1, migrations.get(i).version());
        }
        ImmutableList<Migration> ordered = ImmutableList.copyOf(migrations);
        int latest = ordered.getLast().version();
        return write("migrate the " + component + " schema", c -> {
            dialect.lockSchema(c);
            Dialect.exec(c, """
                    CREATE TABLE IF NOT EXISTS schema_version (
                        component   TEXT    NOT NULL,
                        version     INTEGER NOT NULL,
                        description TEXT    NOT NULL,
                        applied_at  TEXT    NOT NULL,
                        PRIMARY KEY (component, version))""");
            int current = versionOf(c, component);
            if (current > latest) {
                throw new StoreException(label + ": the " + component + " schema is at version " + current
                        + " but this Troupe knows versions up to " + latest
                        + "; upgrade Troupe, or point it at another database", false);
            }
            for (Migration m : ordered.subList(current, ordered.size())) {
                apply(c, component, m);
            }
            return latest;
        });
    }

    /** The schema version of {@code component}; 0 when it was never migrated. */
    public int schemaVersion(String component) {
        checkComponent(component);
        return read("read the " + component + " schema version",
                c -> dialect.tableExists(c, "schema_version") ? versionOf(c, component) : 0);
    }

    /** Closes the connections kept for reuse; later calls fail. Transactions under way finish first. */
    @Override
    public void close() {
        closed = true;
        for (Connection c; (c = idle.poll()) != null; ) {
            closeQuietly(c, null);
        }
    }

    @Override
    public String toString() {
        return label;
    }

    private void apply(Connection c, String component, Migration m) {
        try {
            for (String statement : m.statements()) {
                Dialect.exec(c, statement);
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO schema_version (component, version, description, applied_at) VALUES (?, ?, ?, ?)")) {
                insert.setString(1, component);
                insert.setInt(2, m.version());
                insert.setString(3, m.description());
                insert.setString(4, Instant.now().toString());
                insert.executeUpdate();
            }
        } catch (SQLException e) {
            throw new StoreException(label + ": migration " + m.version() + " of the " + component + " schema ("
                    + m.description() + ") failed, so none of this open's migrations were applied: " + e.getMessage(), false, e);
        }
    }

    private static int versionOf(Connection c, String component) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT MAX(version) FROM schema_version WHERE component = ?")) {
            q.setString(1, component);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static void checkComponent(String component) {
        checkArgument(component != null && COMPONENT.matcher(component).matches(),
                "schema component must be lower-case letters, digits, '_', '.' or '-' (e.g. reflection) but was '%s'", component);
    }

    private <T> T inTransaction(String what, boolean write, SqlWork<T> work) {
        Objects.requireNonNull(work, "work must not be null");
        Connection c;
        try {
            c = borrow();
        } catch (SQLException e) {
            throw SqlErrors.failed(this, what + " (opening a connection)", e);
        }
        boolean begun = false;
        boolean clean = false;
        Throwable failure = null;
        try {
            dialect.begin(c, write);
            begun = true;
            T result = work.run(c);
            try {
                dialect.commit(c);
            } catch (SQLException e) {
                throw SqlErrors.commitFailed(this, what, e);
            }
            clean = true;
            return result;
        } catch (SQLException e) {
            StoreException wrapped = SqlErrors.failed(this, what, e);
            failure = wrapped;
            throw wrapped;
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            if (begun && !clean) {
                try {
                    dialect.rollback(c);
                    clean = true;
                } catch (SQLException e) {
                    // SQLite rolls some failures back by itself; the original failure is what matters.
                    if (failure != null) {
                        failure.addSuppressed(e);
                    }
                }
            }
            // A connection is reused only when its transaction is known to be over.
            if (clean && !closed && idle.offer(c)) {
                if (closed && idle.remove(c)) {
                    closeQuietly(c, failure);
                }
            } else {
                closeQuietly(c, failure);
            }
        }
    }

    private Connection borrow() throws SQLException {
        if (closed) {
            throw new IllegalStateException("database " + label + " is closed");
        }
        for (Connection c; (c = idle.poll()) != null; ) {
            // An idle PostgreSQL session may have been ended by a server restart or timeout; a SQLite file cannot be.
            if (dialect == Dialect.SQLITE || c.isValid(2)) {
                return c;
            }
            closeQuietly(c, null);
        }
        return connections.open();
    }

    private static void closeQuietly(Connection c, Throwable failure) {
        try {
            c.close();
        } catch (SQLException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            }
        }
    }
}
