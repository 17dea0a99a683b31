package dev.troupe.agents.model;

import dev.troupe.agents.event.RunEvent;
import dev.troupe.agents.event.RunListener;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Reports every call, answered or failed, to the run's listeners with its tokens, cost and latency. */
public final class TracingInterceptor implements ModelInterceptor {
    private final RunListener listener;

    public TracingInterceptor(RunListener listener) {
        this.listener = listener;
    }

    @Override
    public ModelResponse intercept(Chain chain) {
        ModelRequest r = chain.request();
        long start = System.nanoTime();
        try {
            ModelResponse response = chain.proceed(r);
            Duration latency = Duration.ofNanos(System.nanoTime() - start);
            listener.on(new RunEvent.ModelCall(r.runId(), Instant.now(), r.role(), r.action(), r.step(), response.model(),
                    response.synthetic(), response.inputTokens(), response.outputTokens(), response.costUsd(), latency,
                    response.attempts(), Optional.empty()));
            return response.withLatency(latency);
        } catch (RuntimeException e) {
            Duration latency = Duration.ofNanos(System.nanoTime() - start);
            listener.on(new RunEvent.ModelCall(r.runId(), Instant.now(), r.role(), r.action(), r.step(), chain.backend().spec(),
                    chain.backend().synthetic(), 0, 0, 0, latency, 0, Optional.of(String.valueOf(e.getMessage()))));
            throw e;
        }
    }
}
