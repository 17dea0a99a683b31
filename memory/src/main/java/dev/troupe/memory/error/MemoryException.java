package dev.troupe.memory.error;

/**
 * Base of every error the memory module raises; {@link #retriable()} says whether trying the same
 * operation again may succeed.
 *
 * <p>The runtime's {@code TroupeException} lives in {@code troupe-agents}, which depends on this
 * module, so memory keeps its own small unchecked hierarchy for the runtime to map.
 */
public class MemoryException extends RuntimeException {
    private final boolean retriable;

    public MemoryException(String message, boolean retriable) {
        super(message);
        this.retriable = retriable;
    }

    public MemoryException(String message, boolean retriable, Throwable cause) {
        super(message, cause);
        this.retriable = retriable;
    }

    /** Whether the same operation, tried again (after reloading, for a conflict), may succeed. */
    public boolean retriable() {
        return retriable;
    }
}
