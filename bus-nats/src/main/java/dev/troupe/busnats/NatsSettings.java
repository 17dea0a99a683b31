package dev.troupe.busnats;

import static com.google.common.base.Preconditions.checkArgument;

import java.time.Duration;
import java.util.Objects;

/**
 * Where the NATS server is and how Troupe uses it. Every process of a team (bus users, workers and
 * the coordinator) must agree on {@code prefix}; the rest may differ per process.
 *
 * @param url             the server, e.g. {@code nats://127.0.0.1:4222}
 * @param prefix          the first subject token, so several installations can share one server
 * @param ackWait         how long a worker may stay silent before its message goes to another replica;
 *                        a working step signals progress every third of it, so it need not cover a model call
 * @param duplicateWindow how long JetStream remembers message ids to drop re-publishes
 * @param maxAge          how long the stream keeps a team's messages
 * @param retryFor        how long publishing and reading keep retrying while the server is unreachable
 */
public record NatsSettings(String url, String prefix, Duration ackWait, Duration duplicateWindow, Duration maxAge,
                           Duration retryFor) {

    /** The environment variable that names the server when no URL is given. */
    public static final String URL_VARIABLE = "TROUPE_NATS_URL";
    public static final String DEFAULT_URL = "nats://127.0.0.1:4222";

    public NatsSettings {
        checkArgument(url != null && !url.isBlank(), "the NATS URL must not be blank");
        checkArgument(prefix != null && prefix.matches("[A-Za-z0-9_-]+"),
                "the subject prefix must hold only letters, digits, '_' or '-', but was '%s'", prefix);
        for (Duration d : new Duration[] {ackWait, duplicateWindow, maxAge, retryFor}) {
            checkArgument(Objects.requireNonNull(d).isPositive(), "NATS durations must be positive but one was %s", d);
        }
    }

    /** The server at {@code TROUPE_NATS_URL}, else {@value #DEFAULT_URL}, with Troupe's defaults. */
    public static NatsSettings defaults() {
        return of(defaultUrl());
    }

    /** The server at {@code url} with Troupe's defaults. */
    public static NatsSettings of(String url) {
        return new NatsSettings(url, "troupe", Duration.ofSeconds(30), Duration.ofMinutes(10), Duration.ofDays(7),
                Duration.ofMinutes(2));
    }

    public static String defaultUrl() {
        String env = System.getenv(URL_VARIABLE);
        return env == null || env.isBlank() ? DEFAULT_URL : env.trim();
    }

    public NatsSettings withUrl(String u) {
        return new NatsSettings(u, prefix, ackWait, duplicateWindow, maxAge, retryFor);
    }

    public NatsSettings withPrefix(String p) {
        return new NatsSettings(url, p, ackWait, duplicateWindow, maxAge, retryFor);
    }

    public NatsSettings withAckWait(Duration d) {
        return new NatsSettings(url, prefix, d, duplicateWindow, maxAge, retryFor);
    }

    public NatsSettings withRetryFor(Duration d) {
        return new NatsSettings(url, prefix, ackWait, duplicateWindow, maxAge, d);
    }
}
