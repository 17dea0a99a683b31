package dev.troupe.agents.model;

import static com.google.common.base.Preconditions.checkArgument;

import dev.troupe.core.retry.Backoff;
import java.time.Duration;
import java.util.Optional;

/**
 * How retriable model errors are retried: the attempts, the {@link Backoff} between them, and the cap on a
 * server's {@code Retry-After}, which wins over the computed delay up to {@code maxRetryAfter}.
 *
 * @param maxAttempts total tries including the first (1 = no retry)
 * @param jitter      the fraction (0..1) of each delay that is randomised
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay, double multiplier, double jitter,
                          Duration maxRetryAfter) {

    public RetryPolicy {
        checkArgument(maxAttempts >= 1, "maxAttempts must be >= 1 but was %s", maxAttempts);
        checkArgument(multiplier >= 1, "multiplier must be >= 1 but was %s", multiplier);
        checkArgument(jitter >= 0 && jitter <= 1, "jitter must be in [0, 1] but was %s", jitter);
    }

    /** Five attempts with exponential, jittered backoff from 0.5 s to 30 s, honouring a server's Retry-After up to 60 s. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(5, Duration.ofMillis(500), Duration.ofSeconds(30), 2.0, 0.2, Duration.ofSeconds(60));
    }

    /** One attempt: a failed model call fails at once. */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO, 1, 0, Duration.ZERO);
    }

    /** A copy that tries at most {@code n} times in all. */
    public RetryPolicy withMaxAttempts(int n) {
        return new RetryPolicy(n, initialDelay, maxDelay, multiplier, jitter, maxRetryAfter);
    }

    /** A copy whose backoff starts at {@code initial} and never waits more than {@code max}. */
    public RetryPolicy withDelays(Duration initial, Duration max) {
        return new RetryPolicy(maxAttempts, initial, max, multiplier, jitter, maxRetryAfter);
    }

    /** The backoff between attempts when the server does not say how long to wait. */
    public Backoff backoff() {
        return new Backoff(initialDelay, maxDelay, multiplier, jitter);
    }

    /** The delay before attempt {@code attempt + 1}, after {@code attempt} failed tries. */
    public Duration delayAfter(int attempt, Optional<Duration> retryAfter) {
        if (retryAfter.isPresent()) {
            Duration ra = retryAfter.get();
            return ra.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : ra;
        }
        return backoff().delayAfter(attempt);
    }
}
