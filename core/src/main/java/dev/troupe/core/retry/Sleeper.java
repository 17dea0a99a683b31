package dev.troupe.core.retry;

import java.time.Duration;

/** Waits between attempts; tests substitute one that records the waits instead of sleeping. */
@FunctionalInterface
public interface Sleeper {
    /** Sleeps on the calling thread; an interrupt ends the wait with {@link InterruptedException}. */
    Sleeper REAL = d -> Thread.sleep(d.toMillis());

    void sleep(Duration d) throws InterruptedException;
}
