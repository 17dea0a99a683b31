package dev.troupe.busnats.distributed;

import dev.troupe.agents.model.ModelInterceptor;
import dev.troupe.agents.model.ModelResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CancellationException;

/**
 * Makes one action's model calls slow, like a long call to a live model, and leaves a marker file
 * named after the worker when a call begins, so a test knows whom to kill and when.
 */
record SlowAction(String action, Duration delay, Path markers, String worker) implements ModelInterceptor {

    @Override
    public ModelResponse intercept(Chain chain) {
        if (chain.request().action().equals(action)) {
            try {
                Files.createDirectories(markers);
                Files.writeString(markers.resolve(worker + ".started"), chain.request().runId());
                Thread.sleep(delay);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted while slowing " + action);
            }
        }
        return chain.proceed(chain.request());
    }
}
