package dev.troupe.agents.error;

/**
 * Base of every error Troupe raises; the message says what was wrong, where, and what to do.
 */
public class TroupeException extends RuntimeException {
    /** An error whose {@code message} says what went wrong, where, and what to do. */
    public TroupeException(String message) {
        super(message);
    }

    /** An error whose {@code message} says what went wrong, where, and what to do, caused by {@code cause}. */
    public TroupeException(String message, Throwable cause) {
        super(message, cause);
    }
}
