package dev.troupe.agents.model;

import java.time.Duration;

/**
 * Hears of every call the gateway makes, answered or failed. A run's {@code RunListener} is one, turning each
 * call into an event; the gateway knows only this narrow hook, not the run's events.
 */
public interface ModelCallListener {
    /** Hears nothing; the gateway then skips the tracing altogether. */
    ModelCallListener NONE = new ModelCallListener() {
        @Override
        public boolean wantsModelCalls() {
            return false;
        }

        @Override
        public void modelAnswered(ModelRequest request, ModelResponse response, Duration latency) {}

        @Override
        public void modelFailed(ModelRequest request, ModelBackend backend, Duration latency, RuntimeException failure) {}
    };

    /** Whether to report calls at all; the gateway adds no tracing for a listener that answers false. */
    default boolean wantsModelCalls() {
        return true;
    }

    /** {@code request} was answered with {@code response} after {@code latency}, retries included. */
    void modelAnswered(ModelRequest request, ModelResponse response, Duration latency);

    /** {@code request} to {@code backend} failed for good with {@code failure} after {@code latency}. */
    void modelFailed(ModelRequest request, ModelBackend backend, Duration latency, RuntimeException failure);
}
