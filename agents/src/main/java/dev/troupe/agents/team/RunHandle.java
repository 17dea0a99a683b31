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

    /**
     * Waits for the end; if the waiting thread is interrupted, cancels the run, waits up to
     * {@code grace} for it to stop, and returns the cancelled result with the interrupt flag set.
     */
    default RunResult awaitOrCancel(Duration grace) {
        try {
            return await();
        } catch (InterruptedException e) {
            cancel();
            Thread.currentThread().interrupt();
            try {
                return await(grace).orElseThrow(() -> new IllegalStateException("run " + runId() + " did not stop", e));
            } catch (InterruptedException again) {
                throw new IllegalStateException("interrupted while cancelling run " + runId(), again);
            }
        }
    }
}
