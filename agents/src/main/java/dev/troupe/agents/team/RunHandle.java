package dev.troupe.agents.team;

import java.time.Duration;
import java.util.Optional;

/** A run in progress: wait for it, or cancel it. */
public interface RunHandle {
    String runId();

    /** Waits for the run to end and returns its result. */
    RunResult await() throws InterruptedException;

    /** Waits up to {@code timeout}; empty if the run has not ended by then. */
    Optional<RunResult> await(Duration timeout) throws InterruptedException;

    /** Stops the run; steps in flight are interrupted and the result's status is CANCELLED. */
    void cancel();

    boolean isDone();
}
