package dev.troupe.memory.error;

/**
 * Another writer saved or cleared the task since it was loaded; reload it, reapply the change and
 * save again ({@code ReflectionStore.update} does exactly that).
 */
public class ConcurrentUpdateException extends MemoryException {
    private final String taskKey;
    private final long expectedVersion;

    public ConcurrentUpdateException(String taskKey, long expectedVersion, String message) {
        super(message, true);
        this.taskKey = taskKey;
        this.expectedVersion = expectedVersion;
    }

    /** The task whose save was refused. */
    public String taskKey() {
        return taskKey;
    }

    /** The version the refused save was based on (0 when it tried to create the task). */
    public long expectedVersion() {
        return expectedVersion;
    }
}
