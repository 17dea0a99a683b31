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

    public ModelException(String message, boolean retriable, Integer status, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retriable = retriable;
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public boolean retriable() {
        return retriable;
    }

    public OptionalInt status() {
        return status == null ? OptionalInt.empty() : OptionalInt.of(status);
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
