package dev.troupe.busnats;

import dev.troupe.agents.error.TroupeException;

/** The NATS server stayed unreachable past {@link NatsSettings#retryFor()}; the work may be retried once it is back. */
public class NatsUnavailableException extends TroupeException {
    public NatsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
