package dev.troupe.agents.error;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A failed model call, classified once (see {@code ModelErrors}) as retriable or not.
 */
public class ModelException extends TroupeException {
    private final boolean retriable;
    private final Integer status;
    private final Duration retryAfter;

    /** A failed model call; {@code status} and {@code retryAfter} may be null when the server sent none. */
    public ModelException(String message, boolean retriable, Integer status, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retriable = retriable;
        this.status = status;
        this.retryAfter = retryAfter;
    }

    /** Whether trying the call again may succeed (a rate limit, a timeout, a 5xx). */
    public boolean retriable() {
        return retriable;
    }

    /** The HTTP status the server answered with, if it answered. */
    public OptionalInt status() {
        return status == null ? OptionalInt.empty() : OptionalInt.of(status);
    }

    /** How long the server asked to wait before the next try, if it did. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
