package dev.troupe.providers;

import dev.troupe.agents.error.ConfigurationException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/** Settings every provider reads from the environment. */
final class ProviderEnv {
    static final String TIMEOUT = "TROUPE_MODEL_TIMEOUT";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

    private ProviderEnv() {}

    /** The variable's value; blank counts as unset, as it does for an exported but empty variable. */
    static Optional<String> get(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    /** {@code TROUPE_MODEL_TIMEOUT} as an ISO-8601 duration ({@code PT90S}) or seconds ({@code 90}, {@code 0.5}). */
    static Duration timeout(Map<String, String> env) {
        Optional<String> value = get(env, TIMEOUT);
        if (value.isEmpty()) {
            return DEFAULT_TIMEOUT;
        }
        String v = value.get();
        Duration d = null;
        try {
            d = v.matches("\\d+(\\.\\d+)?") ? Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000)) : Duration.parse(v);
        } catch (DateTimeParseException notADuration) {
            // reported below together with zero and negative values
        }
        if (d == null || d.isZero() || d.isNegative()) {
            throw new ConfigurationException(TIMEOUT + " must be a positive ISO-8601 duration (e.g. PT90S) or a number of seconds, but was '"
                    + v + "'.");
        }
        return d;
    }
}
