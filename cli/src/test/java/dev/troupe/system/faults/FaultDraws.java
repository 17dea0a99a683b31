package dev.troupe.system.faults;

import com.google.common.collect.ImmutableMap;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decides which requests of a fault-injecting server get a fault, reproducibly, and counts what it
 * injected. Whether a request is faulted is drawn from a {@link SplittableRandom} seeded with the seed,
 * the request's identity and how often that identity was sent before, so a seed gives the same faults
 * however threads interleave. Retries resend the same request, so {@code maxFaultsPerCall} bounds the
 * faults one call meets across its retries.
 *
 * @param <F> the server's kinds of fault
 */
final class FaultDraws<F extends Enum<F>> {

    /**
     * One request's draw.
     *
     * @param random what to shape the fault with (a Retry-After, where to cut a body), continuing the draw's stream
     */
    record Draw<F>(Optional<F> fault, SplittableRandom random) {}

    private final double rate;
    private final long seed;
    private final int maxFaultsPerCall;
    private final Map<F, AtomicInteger> injected;
    private final AtomicInteger spared = new AtomicInteger();
    private final Map<String, AtomicInteger> retryAfterSeconds = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> sentBefore = new ConcurrentHashMap<>();

    FaultDraws(Class<F> kinds, double rate, long seed, int maxFaultsPerCall) {
        this.rate = rate;
        this.seed = seed;
        this.maxFaultsPerCall = maxFaultsPerCall;
        this.injected = new EnumMap<>(kinds);
        for (F f : kinds.getEnumConstants()) {
            injected.put(f, new AtomicInteger());
        }
    }

    /** Draws for one request, identified by what its retries resend unchanged; the fault, if any, is one of {@code eligible}. */
    Draw<F> draw(String identity, List<F> eligible) {
        int attempt = sentBefore.computeIfAbsent(identity, k -> new AtomicInteger()).getAndIncrement();
        // SplittableRandom mixes its seed, so neighbouring seeds (attempt n, n + 1) draw independently.
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + identity.hashCode() * 0xBF58476D1CE4E5B9L + attempt);
        if (random.nextDouble() >= rate || eligible.isEmpty()) {
            return new Draw<>(Optional.empty(), random);
        }
        if (attempt >= maxFaultsPerCall) {
            spared.incrementAndGet();
            return new Draw<>(Optional.empty(), random);
        }
        F fault = eligible.get(random.nextInt(eligible.size()));
        injected.get(fault).incrementAndGet();
        return new Draw<>(Optional.of(fault), random);
    }

    /** A Retry-After of 0 or 1 s for a 429, counted. */
    String retryAfter(SplittableRandom random) {
        String seconds = String.valueOf(random.nextInt(2));
        retryAfterSeconds.computeIfAbsent(seconds, k -> new AtomicInteger()).incrementAndGet();
        return seconds;
    }

    /** How many of each fault were injected; every kind is listed. */
    ImmutableMap<F, Integer> injected() {
        ImmutableMap.Builder<F, Integer> b = ImmutableMap.builder();
        injected.forEach((k, v) -> b.put(k, v.get()));
        return b.build();
    }

    int faults() {
        return injected.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** Requests whose draw said "fault" but which were answered because their call had met its share of faults. */
    int spared() {
        return spared.get();
    }

    /** A one-line account for test output. */
    String summary() {
        return "faults=" + faults() + " " + injected() + " retryAfter=" + retryAfterSeconds() + " spared=" + spared();
    }

    /** How many 429s asked to wait each number of seconds. */
    ImmutableMap<String, Integer> retryAfterSeconds() {
        ImmutableMap.Builder<String, Integer> b = ImmutableMap.builder();
        retryAfterSeconds.forEach((k, v) -> b.put(k, v.get()));
        return b.buildOrThrow();
    }
}
