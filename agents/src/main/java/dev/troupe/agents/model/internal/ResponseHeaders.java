package dev.troupe.agents.model.internal;

import java.util.Optional;

/**
 * Implemented by HTTP exceptions that keep the response headers, so the gateway can honour
 * {@code Retry-After}. LangChain4j's own exceptions drop headers; Troupe's HTTP client keeps them
 * on the cause. LangChain4j maps an HTTP failure by its root cause, so an implementing
 * exception must itself have no cause.
 */
public interface ResponseHeaders {
    Optional<String> header(String name);
}
