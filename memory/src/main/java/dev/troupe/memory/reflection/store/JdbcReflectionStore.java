package dev.troupe.memory.reflection.store;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import dev.troupe.memory.error.ConcurrentUpdateException;
import dev.troupe.memory.error.MemoryException;
import dev.troupe.memory.jdbc.Database;
import dev.troupe.memory.jdbc.Dialect;
import dev.troupe.memory.reflection.TaskKey;
import dev.troupe.memory.reflection.TaskMemory;
import dev.troupe.memory.reflection.TrialOutcome;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;

/**
 * The reflection store on SQLite (the embedded default, {@link #inWorkspace}) or PostgreSQL
 * ({@link #open} on {@link Database#postgres}): plain JDBC, one transaction per call, optimistic
 * concurrency on a version column. Safe to share between threads; closing the store closes its
 * database.
 */
public final class JdbcReflectionStore implements ReflectionStore, AutoCloseable {
    /** How often {@link #update} tries when it keeps losing races to create the same new task. */
    public static final int UPDATE_ATTEMPTS = 10;

    private final Database database;
    private final Clock clock;

    private JdbcReflectionStore(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** Opens the store on {@code database}, creating or upgrading its tables first. */
    public static JdbcReflectionStore open(Database database) {
        return open(database, Clock.systemUTC());
    }

    /** As {@link #open(Database)}, stamping saves with {@code clock}. */
    public static JdbcReflectionStore open(Database database, Clock clock) {
        Objects.requireNonNull(database, "database must not be null");
        Objects.requireNonNull(clock, "clock must not be null");
        database.migrate(ReflectionSchema.COMPONENT, ReflectionSchema.MIGRATIONS);
        return new JdbcReflectionStore(database, clock);
    }

    /** The embedded default: the SQLite file {@value Database#WORKSPACE_FILE} under {@code workspace}. */
    public static JdbcReflectionStore inWorkspace(Path workspace) {
        return open(Database.inWorkspace(workspace));
    }

    /** The schema version the store's tables are at. */
    public int schemaVersion() {
        return database.schemaVersion(ReflectionSchema.COMPONENT);
    }

    public Database database() {
        return database;
    }

    @Override
    public Optional<TaskMemory> load(TaskKey key) {
        Objects.requireNonNull(key, "key must not be null");
        return database.read("load task '" + key + "'", c -> TaskMemoryRows.read(c, key, ""));
    }

    @Override
    public TaskMemory save(TaskMemory memory) {
        Objects.requireNonNull(memory, "memory must not be null");
        return database.write("save task '" + memory.key() + "'", c -> {
            long version = claimNextVersion(c, memory);
            TaskMemoryRows.replaceChildren(c, memory);
            return memory.withVersion(version);
        });
    }

    /**
     * Reads, changes and writes the task in one transaction that holds the task's write lock (the
     * row lock on PostgreSQL, the database write lock on SQLite), so concurrent updates queue
     * instead of failing. Only two writers creating the same new task can still collide; the loser
     * retries against the stored task.
     */
    @Override
    public TaskMemory update(TaskKey key, int maxTrials, UnaryOperator<TaskMemory> change) {
        Objects.requireNonNull(key, "key must not be null");
        checkArgument(maxTrials >= 1 && maxTrials <= TaskMemory.MAX_TRIALS_LIMIT, "maxTrials for task '%s' must be in 1..%s but was %s",
                key, TaskMemory.MAX_TRIALS_LIMIT, maxTrials);
        Objects.requireNonNull(change, "change must not be null");
        MemoryException last = null;
        for (int attempt = 1; attempt <= UPDATE_ATTEMPTS; attempt++) {
            try {
                return database.write("update task '" + key + "'", c -> {
                    TaskMemory current = TaskMemoryRows.read(c, key, lockClause())
                            .orElseGet(() -> TaskMemory.create(key, maxTrials));
                    TaskMemory changed = checkedChange(key, current, change);
                    if (changed.equals(current) && current.version() > 0) {
                        return current;
                    }
                    long version = claimNextVersion(c, changed);
                    TaskMemoryRows.replaceChildren(c, changed);
                    return changed.withVersion(version);
                });
            } catch (MemoryException e) {
                if (!e.retriable()) {
                    throw e;
                }
                last = e;
                backOff(attempt);
            }
        }
        throw last;
    }

    @Override
    public ImmutableList<TaskSummary> list() {
        return database.read("list tasks", c -> {
            List<TaskSummary> summaries = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("""
                    SELECT t.task_key, t.version, t.max_trials, t.trials_recorded, t.updated_at,
                           (SELECT COUNT(*) FROM reflection_lessons l WHERE l.task_key = t.task_key),
                           tr.outcome, tr.failure_reason, tr.failure_detail
                    FROM reflection_tasks t
                    LEFT JOIN reflection_trials tr ON tr.task_key = t.task_key AND tr.trial_no =
                        (SELECT MAX(x.trial_no) FROM reflection_trials x WHERE x.task_key = t.task_key)""");
                 ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    Optional<TrialOutcome> last = rs.getString(7) == null ? Optional.empty()
                            : Optional.of(TaskMemoryRows.outcome(rs.getString(7), rs.getString(8), rs.getString(9)));
                    summaries.add(new TaskSummary(TaskKey.of(rs.getString(1)), rs.getLong(2), rs.getInt(3), rs.getInt(4),
                            rs.getInt(6), last, Instant.parse(rs.getString(5))));
                }
            }
            // Sorted here, not in SQL, so both databases agree whatever their collation.
            summaries.sort(Comparator.comparing(s -> s.key().value()));
            return ImmutableList.copyOf(summaries);
        });
    }

    @Override
    public boolean clear(TaskKey key) {
        Objects.requireNonNull(key, "key must not be null");
        return database.write("clear task '" + key + "'", c -> {
            TaskMemoryRows.deleteChildren(c, key);
            try (PreparedStatement d = c.prepareStatement("DELETE FROM reflection_tasks WHERE task_key = ?")) {
                d.setString(1, key.value());
                return d.executeUpdate() > 0;
            }
        });
    }

    /** Closes the database the store was opened on. */
    @Override
    public void close() {
        database.close();
    }

    @Override
    public String toString() {
        return "JdbcReflectionStore[" + database.label() + "]";
    }

    private String lockClause() {
        // SQLite has no row locks: its write transactions begin IMMEDIATE and hold the database's
        // single write lock already.
        return database.dialect() == Dialect.POSTGRESQL ? " FOR UPDATE" : "";
    }

    private static TaskMemory checkedChange(TaskKey key, TaskMemory current, UnaryOperator<TaskMemory> change) {
        TaskMemory changed = change.apply(current);
        if (changed == null || !changed.key().equals(key)) {
            throw new IllegalArgumentException("the change to task '" + key + "' must return that task's memory but returned "
                    + (changed == null ? "null" : "task '" + changed.key() + "'"));
        }
        if (changed.version() != current.version()) {
            throw new IllegalArgumentException("the change to task '" + key + "' must not set the version itself (loaded "
                    + current.version() + ", returned " + changed.version() + ")");
        }
        return changed;
    }

    private static void backOff(int attempt) {
        // Jitter keeps writers that collided from colliding again in lock step.
        long millis = ThreadLocalRandom.current().nextLong(1, 5L * attempt + 2);
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MemoryException("interrupted while retrying an update", false, e);
        }
    }

    /**
     * Moves the task's row from the version {@code memory} was loaded at to the next one; the row
     * lock this takes makes every other writer of the task wait for this transaction, and then fail
     * the same check.
     */
    private long claimNextVersion(Connection c, TaskMemory memory) throws SQLException {
        String key = memory.key().value();
        String now = clock.instant().toString();
        if (memory.version() == 0) {
            try (PreparedStatement insert = c.prepareStatement("""
                    INSERT INTO reflection_tasks (task_key, version, max_trials, trials_recorded, updated_at)
                    VALUES (?, 1, ?, ?, ?) ON CONFLICT (task_key) DO NOTHING""")) {
                insert.setString(1, key);
                insert.setInt(2, memory.maxTrials());
                insert.setInt(3, memory.trialsRecorded());
                insert.setString(4, now);
                if (insert.executeUpdate() == 0) {
                    throw new ConcurrentUpdateException(key, 0, "task '" + key + "' was created by another writer after it was "
                            + "found missing; reload it and apply the change again");
                }
            }
            return 1;
        }
        try (PreparedStatement update = c.prepareStatement("""
                UPDATE reflection_tasks SET version = ?, max_trials = ?, trials_recorded = ?, updated_at = ?
                WHERE task_key = ? AND version = ?""")) {
            update.setLong(1, memory.version() + 1);
            update.setInt(2, memory.maxTrials());
            update.setInt(3, memory.trialsRecorded());
            update.setString(4, now);
            update.setString(5, key);
            update.setLong(6, memory.version());
            if (update.executeUpdate() == 1) {
                return memory.version() + 1;
            }
        }
        Optional<Long> stored = storedVersion(c, key);
        throw new ConcurrentUpdateException(key, memory.version(), stored
                .map(v -> "task '" + key + "' is at version " + v + " but this change was made to version " + memory.version()
                        + "; another writer saved it in between: reload it and apply the change again")
                .orElse("task '" + key + "' was cleared by another writer after version " + memory.version()
                        + " was loaded; reload it and apply the change again"));
    }

    private static Optional<Long> storedVersion(Connection c, String key) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT version FROM reflection_tasks WHERE task_key = ?")) {
            q.setString(1, key);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }
}
