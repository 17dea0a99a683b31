package dev.troupe.tools.http;

/** What happened to a tool call, so a planner can tell success, a mistake it can fix, and a fault it cannot. */
public enum ObservationKind {
    /** A 2xx (or 3xx without a followable location) answer. */
    OK,
    /** No function has that name. */
    UNKNOWN_FUNCTION,
    /** The arguments do not fit the function's schema. */
    BAD_ARGUMENTS,
    /** The API answered 4xx (other than 429). */
    CLIENT_ERROR,
    /** The API answered 429, after the bounded retries. */
    RATE_LIMITED,
    /** The API answered 5xx, after the bounded retries. */
    SERVER_ERROR,
    /** The API answered 2xx with a body declared JSON that is cut off or malformed, after the bounded retries. */
    MALFORMED_RESPONSE,
    /** No answer within the timeouts. */
    TIMEOUT,
    /** The connection failed (refused, reset, unknown host, TLS). */
    TRANSPORT_ERROR,
    /** The egress policy refused the destination. */
    BLOCKED,
    /** The tool cannot be called as configured (no base URL). */
    NOT_CONFIGURED;

    public boolean isSuccess() {
        return this == OK;
    }
}
