package dev.troupe.core.retry;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Reads an HTTP {@code Retry-After} header (RFC 9110 §10.2.3) as the wait it asks for. */
public final class RetryAfter {
    private RetryAfter() {}

    /**
     * The wait {@code value} asks for: whole or fractional seconds ({@code "12"}, {@code "1.5"}) or an HTTP date
     * ({@code "Wed, 21 Oct 2015 07:28:00 GMT"}, a date already past meaning now). Empty when the value is
     * missing, negative or neither form, so the caller falls back to its own backoff.
     */
    public static Optional<Duration> parse(String value) {
        return parse(value, Clock.systemUTC());
    }

    /** {@link #parse(String)} with the current time taken from {@code clock}. */
    public static Optional<Duration> parse(String value, Clock clock) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.strip();
        try {
            double seconds = Double.parseDouble(v);
            return !Double.isFinite(seconds) || seconds < 0 ? Optional.empty()
                    : Optional.of(Duration.ofMillis((long) Math.min(seconds * 1000, Long.MAX_VALUE)));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(ZonedDateTime.now(clock.withZone(at.getZone())), at);
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }
}
