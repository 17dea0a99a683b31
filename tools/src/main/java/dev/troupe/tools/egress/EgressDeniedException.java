package dev.troupe.tools.egress;

import java.net.UnknownHostException;

/**
 * Raised when the egress policy refuses a destination; an {@link UnknownHostException} so OkHttp's
 * {@code Dns} contract can carry it, and the executor turns it into an observation rather than a crash.
 */
public class EgressDeniedException extends UnknownHostException {
    public EgressDeniedException(String message) {
        super(message);
    }
}
