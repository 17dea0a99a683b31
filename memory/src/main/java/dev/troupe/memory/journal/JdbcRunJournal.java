package dev.troupe.memory.journal;

import com.google.common.collect.ImmutableList;
import dev.troupe.memory.error.RunTakenOverException;
import dev.troupe.memory.error.StoreException;
import dev.troupe.memory.jdbc.Database;
import dev.troupe.memory.jdbc.Dialect;
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

/**
 * The run journal on SQLite (the embedded default, {@link #inWorkspace}) or PostgreSQL
 * ({@link #open} on {@link Database#postgres}): plain JDBC, one transaction per entry. Safe to
 * share between threads and processes; closing the journal closes its database.
 */
public final class JdbcRunJournal implements RunJournal, AutoCloseable {
    private static final String SUMMARY_COLUMNS = """
            r.run_id, r.team, r.requirement, r.status, r.error, r.attempt, r.workspace, r.started_at, r.updated_at, r.ended_at,
            (SELECT COUNT(*) FROM journal_messages m WHERE m.run_id = r.run_id),
            (SELECT COUNT(*) FROM journal_actions a WHERE a.run_id = r.run_id),
            (SELECT COALESCE(SUM(a.model_calls), 0) FROM journal_actions a WHERE a.run_id = r.run_id)""";

    private final Database database;
    private final Clock clock;

    private JdbcRunJournal(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** Opens the journal on {@code database}, creating or upgrading its tables first. */
    public static JdbcRunJournal open(Database database) {
        return open(database, Clock.systemUTC());
    }

    /** As {@link #open(Database)}, stamping entries with {@code clock}. */
    public static JdbcRunJournal open(Database database, Clock clock) {
        Objects.requireNonNull(database, "database must not be null");
        Objects.requireNonNull(clock, "clock must not be null");
        database.migrate(JournalSchema.COMPONENT, JournalSchema.MIGRATIONS);
        return new JdbcRunJournal(database, clock);
    }

    /** The embedded default: the SQLite file {@value Database#WORKSPACE_FILE} under {@code workspace}. */
    public static JdbcRunJournal inWorkspace(Path workspace) {
        return open(Database.inWorkspace(workspace));
    }

    public Database database() {
        return database;
    }

    /** The schema version the journal's tables are at. */
    public int schemaVersion() {
        return database.schemaVersion(JournalSchema.COMPONENT);
    }

    @Override
    public Attempt start(RunEntry run) {
        Objects.requireNonNull(run, "run must not be null");
        return database.write("start the journal of run '" + run.runId() + "'", c -> {
            String now = clock.instant().toString();
            try (PreparedStatement insert = c.prepareStatement("""
                    INSERT INTO journal_runs (run_id, team, requirement, workspace, status, attempt, next_seq, started_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, 1, 1, ?, ?)""")) {
                insert.setString(1, run.runId());
                insert.setString(2, run.team());
                insert.setString(3, run.requirement());
                insert.setString(4, run.workspace().orElse(null));
                insert.setString(5, RUNNING);
                insert.setString(6, now);
                insert.setString(7, now);
                insert.executeUpdate();
            }
            return new Attempt(run.runId(), 1);
        });
    }

    @Override
    public Optional<Attempt> resume(String runId) {
        Objects.requireNonNull(runId, "runId must not be null");
        return database.write("resume run '" + runId + "'", c -> {
            Optional<Integer> latest = latestAttempt(c, runId);
            if (latest.isEmpty()) {
                return Optional.empty();
            }
            int next = latest.get() + 1;
            try (PreparedStatement update = c.prepareStatement("""
                    UPDATE journal_runs SET attempt = ?, status = ?, error = NULL, ended_at = NULL, updated_at = ?
                    WHERE run_id = ?""")) {
                update.setInt(1, next);
                update.setString(2, RUNNING);
                update.setString(3, clock.instant().toString());
                update.setString(4, runId);
                update.executeUpdate();
            }
            return Optional.of(new Attempt(runId, next));
        });
    }

    @Override
    public long append(Attempt attempt, MessageEntry message) {
        Objects.requireNonNull(attempt, "attempt must not be null");
        Objects.requireNonNull(message, "message must not be null");
        return database.write("journal message " + message.messageId() + " (" + message.causeBy() + ") of run '"
                + attempt.runId() + "'", c -> insert(c, attempt, claimSeqs(c, attempt, 1), message));
    }

    @Override
    public long append(Attempt attempt, ActionEntry action) {
        Objects.requireNonNull(attempt, "attempt must not be null");
        Objects.requireNonNull(action, "action must not be null");
        return database.write("journal action " + action.role() + "/" + action.action() + " of run '" + attempt.runId() + "'",
                c -> insert(c, attempt, claimSeqs(c, attempt, 1), action));
    }

    @Override
    public long append(Attempt attempt, ActionEntry action, MessageEntry message) {
        Objects.requireNonNull(attempt, "attempt must not be null");
        Objects.requireNonNull(action, "action must not be null");
        Objects.requireNonNull(message, "message must not be null");
        return database.write("journal action " + action.role() + "/" + action.action() + " and its message " + message.messageId()
                + " of run '" + attempt.runId() + "'", c -> {
            long seq = claimSeqs(c, attempt, 2);
            insert(c, attempt, seq, action);
            return insert(c, attempt, seq + 1, message);
        });
    }

    private long insert(Connection c, Attempt attempt, long seq, MessageEntry message) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("""
                INSERT INTO journal_messages (run_id, seq, attempt, message_id, sender, cause_by, round, body, written_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            insert.setString(1, attempt.runId());
            insert.setLong(2, seq);
            insert.setInt(3, attempt.number());
            insert.setString(4, message.messageId());
            insert.setString(5, message.sender());
            insert.setString(6, message.causeBy());
            insert.setInt(7, message.round());
            insert.setString(8, message.json());
            insert.setString(9, clock.instant().toString());
            insert.executeUpdate();
        }
        return seq;
    }

    private long insert(Connection c, Attempt attempt, long seq, ActionEntry action) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("""
                INSERT INTO journal_actions (run_id, seq, attempt, action_key, role, action_name, round, step, output, usage,
                                             model_calls, written_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            insert.setString(1, attempt.runId());
            insert.setLong(2, seq);
            insert.setInt(3, attempt.number());
            insert.setString(4, action.key());
            insert.setString(5, action.role());
            insert.setString(6, action.action());
            insert.setInt(7, action.round());
            insert.setString(8, action.step());
            insert.setString(9, action.output());
            insert.setString(10, action.usage());
            insert.setInt(11, action.modelCalls());
            insert.setString(12, clock.instant().toString());
            insert.executeUpdate();
        }
        return seq;
    }

    @Override
    public void finish(Attempt attempt, String status, Optional<String> error) {
        Objects.requireNonNull(attempt, "attempt must not be null");
        if (status == null || status.isBlank() || status.equals(RUNNING)) {
            throw new IllegalArgumentException("a finished run needs a final status, not '" + status + "'");
        }
        Objects.requireNonNull(error, "error must not be null");
        database.write("record the end of run '" + attempt.runId() + "'", c -> {
            checkAttempt(c, attempt);
            String now = clock.instant().toString();
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE journal_runs SET status = ?, error = ?, ended_at = ?, updated_at = ? WHERE run_id = ?")) {
                update.setString(1, status);
                update.setString(2, error.orElse(null));
                update.setString(3, now);
                update.setString(4, now);
                update.setString(5, attempt.runId());
                update.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public ImmutableList<RunSummary> list() {
        return database.read("list runs", c -> {
            List<RunSummary> runs = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT " + SUMMARY_COLUMNS + " FROM journal_runs r");
                 ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    runs.add(summary(rs));
                }
            }
            // Sorted here, not in SQL: timestamps are ISO text of varying precision.
            runs.sort(Comparator.comparing(RunSummary::startedAt).reversed().thenComparing(RunSummary::runId));
            return ImmutableList.copyOf(runs);
        });
    }

    @Override
    public Optional<JournaledRun> load(String runId) {
        Objects.requireNonNull(runId, "runId must not be null");
        return database.read("load run '" + runId + "'", c -> {
            RunSummary summary;
            try (PreparedStatement q = c.prepareStatement("SELECT " + SUMMARY_COLUMNS + " FROM journal_runs r WHERE r.run_id = ?")) {
                q.setString(1, runId);
                try (ResultSet rs = q.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    summary = summary(rs);
                }
            }
            ImmutableList.Builder<Journaled<MessageEntry>> messages = ImmutableList.builder();
            try (PreparedStatement q = c.prepareStatement("""
                    SELECT seq, attempt, written_at, message_id, sender, cause_by, round, body
                    FROM journal_messages WHERE run_id = ? ORDER BY seq""")) {
                q.setString(1, runId);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        messages.add(new Journaled<>(rs.getLong(1), rs.getInt(2), Instant.parse(rs.getString(3)),
                                new MessageEntry(rs.getString(4), rs.getString(5), rs.getString(6), rs.getInt(7), rs.getString(8))));
                    }
                }
            }
            ImmutableList.Builder<Journaled<ActionEntry>> actions = ImmutableList.builder();
            try (PreparedStatement q = c.prepareStatement("""
                    SELECT seq, attempt, written_at, action_key, role, action_name, round, step, output, usage, model_calls
                    FROM journal_actions WHERE run_id = ? ORDER BY seq""")) {
                q.setString(1, runId);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        actions.add(new Journaled<>(rs.getLong(1), rs.getInt(2), Instant.parse(rs.getString(3)),
                                new ActionEntry(rs.getString(4), rs.getString(5), rs.getString(6), rs.getInt(7), rs.getString(8),
                                        rs.getString(9), rs.getString(10), rs.getInt(11))));
                    }
                }
            }
            return Optional.of(new JournaledRun(summary, messages.build(), actions.build()));
        });
    }

    /** Closes the database the journal was opened on. */
    @Override
    public void close() {
        database.close();
    }

    @Override
    public String toString() {
        return "JdbcRunJournal[" + database.label() + "]";
    }

    /**
     * Takes the run's next {@code count} sequence numbers and returns the first. The update locks
     * the run's row (SQLite's write transactions hold the database lock already), so the run's
     * writers take numbers one at a time, and a stale attempt is refused before it writes anything.
     */
    private long claimSeqs(Connection c, Attempt attempt, int count) throws SQLException {
        // One statement in the common case: it takes the numbers only while the attempt is the run's latest.
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE journal_runs SET next_seq = next_seq + ?, updated_at = ? WHERE run_id = ? AND attempt = ? RETURNING next_seq")) {
            update.setInt(1, count);
            update.setString(2, clock.instant().toString());
            update.setString(3, attempt.runId());
            update.setInt(4, attempt.number());
            try (ResultSet rs = update.executeQuery()) {
                if (rs.next()) {
                    return rs.getLong(1) - count;
                }
            }
        }
        checkAttempt(c, attempt);   // throws: the run is gone, or another attempt took it over
        throw new IllegalStateException("run '" + attempt.runId() + "' refused attempt " + attempt.number() + " for no known reason");
    }

    private void checkAttempt(Connection c, Attempt attempt) throws SQLException {
        int latest = latestAttempt(c, attempt.runId()).orElseThrow(() -> new StoreException(database.label() + ": run '" + attempt.runId()
                + "' is not in the journal (was the database replaced while the run was going on?)", false));
        if (latest != attempt.number()) {
            throw new RunTakenOverException(attempt.runId(), attempt.number(), latest);
        }
    }

    /** The run's latest attempt number (its row locked on PostgreSQL), or empty for an unknown run. */
    private Optional<Integer> latestAttempt(Connection c, String runId) throws SQLException {
        String lock = database.dialect() == Dialect.POSTGRESQL ? " FOR UPDATE" : "";
        try (PreparedStatement q = c.prepareStatement("SELECT attempt FROM journal_runs WHERE run_id = ?" + lock)) {
            q.setString(1, runId);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(rs.getInt(1)) : Optional.empty();
            }
        }
    }

    private static RunSummary summary(ResultSet rs) throws SQLException {
        String ended = rs.getString(10);
        return new RunSummary(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), Optional.ofNullable(rs.getString(5)),
                rs.getInt(6), Optional.ofNullable(rs.getString(7)), Instant.parse(rs.getString(8)), Instant.parse(rs.getString(9)),
                Optional.ofNullable(ended).map(Instant::parse), rs.getInt(11), rs.getInt(12), rs.getLong(13));
    }
}
