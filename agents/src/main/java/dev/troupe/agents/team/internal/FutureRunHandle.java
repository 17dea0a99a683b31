package dev.troupe.agents.team.internal;

import dev.troupe.agents.team.RunHandle;
import dev.troupe.agents.team.RunResult;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link RunHandle} whose result arrives through a future: the waiting half of a run, shared by
 * in-process runs and runs coordinated over a bus. Subclasses complete it once, with {@link #ended}.
 */
public abstract class FutureRunHandle implements RunHandle {
    private final CompletableFuture<RunResult> result = new CompletableFuture<>();

    /** Hands the run's result to everyone waiting for it; later calls are ignored. */
    protected final void ended(RunResult r) {
        result.complete(r);
    }

    @Override
    public RunResult await() throws InterruptedException {
        try {
            return result.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("run " + runId() + " ended abnormally", e.getCause());
        }
    }

    @Override
    public Optional<RunResult> await(Duration timeout) throws InterruptedException {
        try {
            return Optional.of(result.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException("run " + runId() + " ended abnormally", e.getCause());
        }
    }

    @Override
    public boolean isDone() {
        return result.isDone();
    }
}
