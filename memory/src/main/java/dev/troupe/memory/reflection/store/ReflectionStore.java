package dev.troupe.memory.reflection.store;

import com.google.common.collect.ImmutableList;
import dev.troupe.memory.error.ConcurrentUpdateException;
import dev.troupe.memory.reflection.TaskKey;
import dev.troupe.memory.reflection.TaskMemory;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Keeps each task's {@link TaskMemory} across runs and processes; change a task with
 * {@link #update}, which applies the change atomically however many writers there are.
 */
public interface ReflectionStore {

    /** The task's memory as last saved, with its version; empty when never saved or cleared. */
    Optional<TaskMemory> load(TaskKey key);

    /**
     * Saves {@code memory} whole, in one transaction, if the stored task is still at
     * {@code memory.version()} (0: not stored yet).
     *
     * @return {@code memory} under its new version
     * @throws ConcurrentUpdateException when another writer saved or cleared the task since it was
     *         loaded; nothing was written: reload and reapply, or use {@link #update}
     */
    TaskMemory save(TaskMemory memory);

    /**
     * Applies {@code change} to the stored memory (or to a new one capped at {@code maxTrials}) and
     * saves the result, as one atomic step: no other writer's change is lost or interleaved.
     * {@code change} must be a pure function of its argument, since it may run again after a
     * conflict; an exception it throws propagates and leaves the store untouched.
     *
     * @return the memory as saved (unchanged, and not rewritten, when {@code change} changed nothing)
     */
    TaskMemory update(TaskKey key, int maxTrials, UnaryOperator<TaskMemory> change);

    /** Every stored task, ordered by key. */
    ImmutableList<TaskSummary> list();

    /** Forgets the task's trials and lessons; returns whether anything was stored. */
    boolean clear(TaskKey key);
}
