package dev.troupe.memory.reflection.store;

import com.google.common.collect.ImmutableList;
import dev.troupe.memory.jdbc.Migration;

/**
 * The reflection store's tables, as ordered migrations. The SQL is common to SQLite and
 * PostgreSQL; JSON lives in TEXT columns written and read by Jackson.
 */
final class ReflectionSchema {
    static final String COMPONENT = "reflection";

    static final ImmutableList<Migration> MIGRATIONS = ImmutableList.of(
            Migration.of(1, "tasks, trials, steps and per-step lessons",
                    """
                    CREATE TABLE reflection_tasks (
                        task_key        TEXT    NOT NULL PRIMARY KEY,
                        version         BIGINT  NOT NULL CHECK (version >= 1),
                        max_trials      INTEGER NOT NULL CHECK (max_trials >= 1),
                        trials_recorded INTEGER NOT NULL CHECK (trials_recorded >= 0),
                        updated_at      TEXT    NOT NULL)""",
                    """
                    CREATE TABLE reflection_trials (
                        task_key       TEXT    NOT NULL REFERENCES reflection_tasks (task_key) ON DELETE CASCADE,
                        trial_no       INTEGER NOT NULL,
                        run_id         TEXT    NOT NULL,
                        outcome        TEXT    NOT NULL CHECK (outcome IN ('SUCCESS', 'FAILURE')),
                        failure_reason TEXT,
                        failure_detail TEXT,
                        PRIMARY KEY (task_key, trial_no),
                        CHECK ((outcome = 'SUCCESS' AND failure_reason IS NULL AND failure_detail IS NULL)
                            OR (outcome = 'FAILURE' AND failure_reason IS NOT NULL AND failure_detail IS NOT NULL)))""",
                    """
                    CREATE TABLE reflection_steps (
                        task_key      TEXT    NOT NULL,
                        trial_no      INTEGER NOT NULL,
                        step_index    INTEGER NOT NULL,
                        state_summary TEXT    NOT NULL,
                        action_name   TEXT    NOT NULL,
                        action_args   TEXT    NOT NULL,
                        observation   TEXT    NOT NULL,
                        status        TEXT    NOT NULL CHECK (status IN ('OK', 'FAILED', 'SKIPPED')),
                        replayed      BOOLEAN NOT NULL,
                        PRIMARY KEY (task_key, trial_no, step_index),
                        FOREIGN KEY (task_key, trial_no) REFERENCES reflection_trials (task_key, trial_no) ON DELETE CASCADE)""",
                    """
                    CREATE TABLE reflection_lessons (
                        task_key         TEXT    NOT NULL REFERENCES reflection_tasks (task_key) ON DELETE CASCADE,
                        step_index       INTEGER NOT NULL,
                        lesson           TEXT    NOT NULL,
                        action_name      TEXT    NOT NULL,
                        action_args      TEXT    NOT NULL,
                        enforce          BOOLEAN NOT NULL,
                        from_trial       INTEGER NOT NULL,
                        disabled_actions TEXT    NOT NULL,
                        PRIMARY KEY (task_key, step_index),
                        FOREIGN KEY (task_key, from_trial) REFERENCES reflection_trials (task_key, trial_no))"""));

    private ReflectionSchema() {}
}
