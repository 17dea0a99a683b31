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
