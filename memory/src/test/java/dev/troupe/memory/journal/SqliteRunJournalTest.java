package dev.troupe.memory.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.memory.jdbc.Database;
import dev.troupe.memory.reflection.TaskKey;
import dev.troupe.memory.reflection.TaskMemory;
import dev.troupe.memory.reflection.store.JdbcReflectionStore;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract on the embedded default, plus sharing the workspace file with the other stores. */
class SqliteRunJournalTest extends RunJournalContract {
    @TempDir
    Path dir;

    @Override
    Database createDatabase() {
        return Database.sqlite(dir.resolve("ws/.troupe/troupe.db"));
    }

    @Override
    Database reopenDatabase(Database db) {
        return Database.sqlite(dir.resolve("ws/.troupe/troupe.db"));
    }

    @Test
    void aJournalOfTheFirstSchemaIsUpgradedWithItsEntriesAndCanJournalAFailedCallAgain() {
        try (Database db = Database.sqlite(dir.resolve("old/.troupe/troupe.db"))) {
            db.migrate(JournalSchema.COMPONENT, JournalSchema.MIGRATIONS.subList(0, 1));
            // A run written by the first schema: attempt 1 journaled call k1 (failed, ending the run).
            db.write("write a run of schema 1", c -> {
                try (var st = c.createStatement()) {
                    st.executeUpdate("""
                            INSERT INTO journal_runs (run_id, team, requirement, status, attempt, next_seq, started_at, updated_at)
                            VALUES ('r1', 'demo', 'idea', 'FAILED', 1, 2, '2025-01-02T03:04:05Z', '2025-01-02T03:04:05Z')""");
                    st.executeUpdate("""
                            INSERT INTO journal_actions (run_id, seq, attempt, action_key, role, action_name, round, step, output, usage,
                                                         model_calls, written_at)
                            VALUES ('r1', 1, 1, 'k1', 'Alice', 'WritePRD', 1, '{}', '{}', '{}', 1, '2025-01-02T03:04:05Z')""");
                }
                return null;
            });

            JdbcRunJournal upgraded = JdbcRunJournal.open(db);

            assertThat(upgraded.schemaVersion()).isEqualTo(JournalSchema.MIGRATIONS.getLast().version());
            assertThat(upgraded.load("r1").orElseThrow().actions()).extracting(j -> j.entry().key() + "@" + j.attempt())
                    .containsExactly("k1@1");
            Attempt second = upgraded.resume("r1").orElseThrow();
            upgraded.append(second, action("k1", 1));
            assertThat(upgraded.load("r1").orElseThrow().actions()).extracting(j -> j.entry().key() + "@" + j.attempt())
                    .containsExactly("k1@1", "k1@2");
        }
    }

    @Test
    void theJournalAndTheReflectionStoreShareTheWorkspaceFile() {
        Path workspace = dir.resolve("shared");
        try (JdbcRunJournal runs = JdbcRunJournal.inWorkspace(workspace);
             JdbcReflectionStore lessons = JdbcReflectionStore.inWorkspace(workspace)) {
            Attempt a = runs.start(new RunEntry("r1", "demo", "idea", Optional.of(workspace.toString())));
            runs.append(a, message("m1", "UserRequirement"));
            lessons.save(TaskMemory.create(TaskKey.of("some/task"), 3));

            assertThat(runs.database().label()).isEqualTo(lessons.database().label())
                    .endsWith(workspace.resolve(Database.WORKSPACE_FILE).toAbsolutePath().toString());
            assertThat(runs.schemaVersion()).isEqualTo(JournalSchema.MIGRATIONS.getLast().version());
            assertThat(lessons.schemaVersion()).isEqualTo(1);
            assertThat(runs.load("r1").orElseThrow().messages()).hasSize(1);
            assertThat(lessons.list()).hasSize(1);
        }
    }
}
