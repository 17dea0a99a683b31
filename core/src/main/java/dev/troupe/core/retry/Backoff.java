package dev.troupe.core.retry;

import static com.google.common.base.Preconditions.checkArgument;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: {@code initial × multiplier^(attempt-1)}, capped at {@code max}, with
 * {@code jitter} (0..1) of the delay drawn at random on either side so that many callers do not retry in step.
 */
public record Backoff(Duration initial, Duration max, double multiplier, double jitter) {

    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        checkArgument(!initial.isNegative(), "initial must not be negative but was %s", initial);
        checkArgument(!max.isNegative(), "max must not be negative but was %s", max);
        checkArgument(multiplier >= 1, "multiplier must be >= 1 but was %s", multiplier);
        checkArgument(jitter >= 0 && jitter <= 1, "jitter must be in [0, 1] but was %s", jitter);
    }

    /** The wait before attempt {@code attempt + 1}, after {@code attempt} (≥ 1) failed tries. */
    public Duration delayAfter(int attempt) {
        checkArgument(attempt >= 1, "attempt must be >= 1 but was %s", attempt);
        double base = initial.toMillis() * Math.pow(multiplier, attempt - 1);
        double capped = Math.min(base, max.toMillis());
        double spread = capped * jitter;
        double withJitter = capped - spread + ThreadLocalRandom.current().nextDouble() * 2 * spread;
        return Duration.ofMillis(Math.max(0, Math.round(Math.min(withJitter, max.toMillis()))));
    }
}
