package dev.troupe.agents.error;

/**
 * Base of every error Troupe raises; the message says what was wrong, where, and what to do.
 */
public class TroupeException extends RuntimeException {
    public TroupeException(String message) {
        super(message);
    }

    public TroupeException(String message, Throwable cause) {
        super(message, cause);
    }
}
