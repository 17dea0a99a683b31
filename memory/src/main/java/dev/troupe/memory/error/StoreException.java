package dev.troupe.memory.error;

/**
 * A store could not be read or written (database unreachable, locked too long, schema too new);
 * the message names the store and the operation, and {@link #retriable()} says whether to retry.
 */
public class StoreException extends MemoryException {
    public StoreException(String message, boolean retriable) {
        super(message, retriable);
    }

    public StoreException(String message, boolean retriable, Throwable cause) {
        super(message, retriable, cause);
    }
}
