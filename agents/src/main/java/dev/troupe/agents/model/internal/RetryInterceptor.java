package dev.troupe.agents.model.internal;

import dev.troupe.agents.model.ModelInterceptor;
import dev.troupe.agents.model.ModelRequest;
import dev.troupe.agents.model.ModelResponse;
import dev.troupe.agents.model.RetryPolicy;
import dev.troupe.agents.error.ModelException;
import dev.troupe.agents.error.TroupeException;
import dev.troupe.core.retry.Sleeper;
import dev.troupe.core.security.Redactor;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Retries retriable failures (429, 5xx, timeouts, broken connections) with backoff; fails fast on the rest. */
public final class RetryInterceptor implements ModelInterceptor {
    private static final Logger log = LoggerFactory.getLogger(RetryInterceptor.class);
    private final RetryPolicy policy;
    private final Sleeper sleeper;
    private final Redactor redactor;

    /** Retries under {@code policy}, waiting with {@code sleeper}; failures' messages are masked with {@code redactor}. */
    public RetryInterceptor(RetryPolicy policy, Sleeper sleeper, Redactor redactor) {
        this.policy = policy;
        this.sleeper = sleeper;
        this.redactor = redactor;
    }

    @Override
    public ModelResponse intercept(Chain chain) {
        ModelRequest request = chain.request();
        for (int attempt = 1; ; attempt++) {
            try {
                return chain.proceed(request).withAttempts(attempt);
            } catch (RuntimeException e) {
                ModelException failure = ModelErrors.classify(e, request, chain.backend().spec(), redactor);
                if (Thread.currentThread().isInterrupted()) {
                    // The run was cancelled or timed out: a transport error caused by the interrupt is no reason to retry.
                    throw failure;
                }
                if (!failure.retriable() || attempt >= policy.maxAttempts()) {
                    if (failure.retriable()) {
                        throw new ModelException(failure.getMessage() + " — gave up after " + attempt + " attempts",
                                false, failure.status().isPresent() ? failure.status().getAsInt() : null, null, failure);
                    }
                    throw failure;
                }
                Duration delay = policy.delayAfter(attempt, failure.retryAfter());
                log.debug("Attempt {} of {} failed ({}); retrying in {} ms", attempt, policy.maxAttempts(), failure.getMessage(), delay.toMillis());
                try {
                    sleeper.sleep(delay);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new TroupeException("Interrupted while waiting to retry " + request.where(), ie);
                }
            }
        }
    }
}
