package dev.troupe.memory.journal;

import com.google.common.collect.ImmutableList;
import dev.troupe.memory.jdbc.Migration;

/**
 * The run journal's tables, as ordered migrations. Messages and action outputs are JSON text; the
 * few other columns are what listing a run needs. {@code next_seq} on the run's row numbers its
 * entries, and its row lock serialises a run's writers.
 */
final class JournalSchema {
    static final String COMPONENT = "journal";

    static final ImmutableList<Migration> MIGRATIONS = ImmutableList.of(
            Migration.of(1, "runs, their messages and their completed actions",
                    """
                    CREATE TABLE journal_runs (
                        run_id      TEXT    NOT NULL PRIMARY KEY,
                        team        TEXT    NOT NULL,
                        requirement TEXT    NOT NULL,
                        workspace   TEXT,
                        status      TEXT    NOT NULL,
                        error       TEXT,
                        attempt     INTEGER NOT NULL CHECK (attempt >= 1),
                        next_seq    BIGINT  NOT NULL CHECK (next_seq >= 1),
                        started_at  TEXT    NOT NULL,
                        updated_at  TEXT    NOT NULL,
                        ended_at    TEXT)""",
                    """
                    CREATE TABLE journal_messages (
                        run_id     TEXT    NOT NULL REFERENCES journal_runs (run_id) ON DELETE CASCADE,
                        seq        BIGINT  NOT NULL,
                        attempt    INTEGER NOT NULL,
                        message_id TEXT    NOT NULL,
                        sender     TEXT    NOT NULL,
                        cause_by   TEXT    NOT NULL,
                        round      INTEGER NOT NULL,
                        body       TEXT    NOT NULL,
                        written_at TEXT    NOT NULL,
                        PRIMARY KEY (run_id, seq),
                        UNIQUE (run_id, message_id))""",
                    """
                    CREATE TABLE journal_actions (
                        run_id      TEXT    NOT NULL REFERENCES journal_runs (run_id) ON DELETE CASCADE,
                        seq         BIGINT  NOT NULL,
                        attempt     INTEGER NOT NULL,
                        action_key  TEXT    NOT NULL,
                        role        TEXT    NOT NULL,
                        action_name TEXT    NOT NULL,
                        round       INTEGER NOT NULL,
                        step        TEXT    NOT NULL,
                        output      TEXT    NOT NULL,
                        usage       TEXT    NOT NULL,
                        model_calls INTEGER NOT NULL CHECK (model_calls >= 0),
                        written_at  TEXT    NOT NULL,
                        PRIMARY KEY (run_id, seq),
                        UNIQUE (run_id, action_key))"""),
            // A call that failed and ended the run runs again when the run resumes: its key is unique per attempt only.
            // Portable rebuild (SQLite cannot drop a table constraint).
            Migration.of(2, "a call journaled once per attempt, so a failed call can run again on resume",
                    """
                    CREATE TABLE journal_actions_v2 (
                        run_id      TEXT    NOT NULL REFERENCES journal_runs (run_id) ON DELETE CASCADE,
                        seq         BIGINT  NOT NULL,
                        attempt     INTEGER NOT NULL,
                        action_key  TEXT    NOT NULL,
                        role        TEXT    NOT NULL,
                        action_name TEXT    NOT NULL,
                        round       INTEGER NOT NULL,
                        step        TEXT    NOT NULL,
                        output      TEXT    NOT NULL,
                        usage       TEXT    NOT NULL,
                        model_calls INTEGER NOT NULL CHECK (model_calls >= 0),
                        written_at  TEXT    NOT NULL,
                        PRIMARY KEY (run_id, seq),
                        UNIQUE (run_id, attempt, action_key))""",
                    """
                    INSERT INTO journal_actions_v2 (run_id, seq, attempt, action_key, role, action_name, round, step, output, usage,
                                                    model_calls, written_at)
                    SELECT run_id, seq, attempt, action_key, role, action_name, round, step, output, usage, model_calls, written_at
                    FROM journal_actions""",
                    "DROP TABLE journal_actions",
                    "ALTER TABLE journal_actions_v2 RENAME TO journal_actions"));

    private JournalSchema() {}
}
