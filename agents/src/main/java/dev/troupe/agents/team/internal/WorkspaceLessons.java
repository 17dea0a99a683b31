package dev.troupe.agents.team.internal;

import com.google.common.collect.ImmutableList;
import dev.troupe.memory.reflection.TaskKey;
import dev.troupe.memory.reflection.TaskMemory;
import dev.troupe.memory.reflection.store.JdbcReflectionStore;
import dev.troupe.memory.reflection.store.ReflectionStore;
import dev.troupe.memory.reflection.store.TaskSummary;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The lessons of a run's workspace as a worker reaches them: the workspace's SQLite store, opened
 * for each operation and closed after it, so a worker serving many runs holds no connection to
 * workspaces it is not working in. Every operation is one transaction; workers of one run share it.
 */
final class WorkspaceLessons implements ReflectionStore {
    private final Path workspace;

    WorkspaceLessons(Path workspace) {
        this.workspace = workspace;
    }

    private <T> T with(Function<JdbcReflectionStore, T> operation) {
        try (JdbcReflectionStore store = StepEngine.openWorkspaceLessons(workspace)) {
            return operation.apply(store);
        }
    }

    @Override
    public Optional<TaskMemory> load(TaskKey key) {
        return with(s -> s.load(key));
    }

    @Override
    public TaskMemory save(TaskMemory memory) {
        return with(s -> s.save(memory));
    }

    @Override
    public TaskMemory update(TaskKey key, int maxTrials, UnaryOperator<TaskMemory> change) {
        return with(s -> s.update(key, maxTrials, change));
    }

    @Override
    public ImmutableList<TaskSummary> list() {
        return with(JdbcReflectionStore::list);
    }

    @Override
    public boolean clear(TaskKey key) {
        return with(s -> s.clear(key));
    }

    @Override
    public String toString() {
        return "lessons in " + workspace;
    }
}
