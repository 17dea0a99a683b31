package dev.troupe.tools.http;

import dev.troupe.core.security.Redactor;
import dev.troupe.tools.function.ToolFunction;
import okhttp3.Request;

/**
 * One call of a function on its way through the chain: what is sent first, the credential that goes with it,
 * what must be masked, and what the interceptors noted on the way (attempt, hop, a response cut to the cap),
 * which the {@link ObservationMapper} reports. A call is made on one thread, start to end.
 */
final class ToolCall {
    private final ToolFunction function;
    private final Request request;
    private final Auth auth;
    private final Redactor redactor;
    private final long startNanos;
    private int attempts;
    private int hop;
    private boolean truncated;

    ToolCall(ToolFunction function, Request request, Auth auth, Redactor redactor, long startNanos) {
        this.function = function;
        this.request = request;
        this.auth = auth;
        this.redactor = redactor;
        this.startNanos = startNanos;
    }

    ToolFunction function() { return function; }
    /** The request as first built, before credentials and redirects. */
    Request request() { return request; }
    Auth auth() { return auth; }
    Redactor redactor() { return redactor; }
    long startNanos() { return startNanos; }
    boolean idempotent() { return function.endpoint().isIdempotent(); }

    int attempts() { return attempts; }
    void attempt(int n) { this.attempts = n; }
    int hop() { return hop; }
    void hop(int n) { this.hop = n; }
    boolean truncated() { return truncated; }
    void truncated(boolean cut) { this.truncated = cut; }
}
