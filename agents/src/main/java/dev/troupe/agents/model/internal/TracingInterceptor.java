package dev.troupe.agents.model.internal;

import dev.troupe.agents.model.ModelCallListener;
import dev.troupe.agents.model.ModelInterceptor;
import dev.troupe.agents.model.ModelRequest;
import dev.troupe.agents.model.ModelResponse;
import java.time.Duration;

/** Reports every call, answered or failed, to the run's listeners with its tokens, cost and latency. */
final class TracingInterceptor implements ModelInterceptor {
    private final ModelCallListener listener;

    TracingInterceptor(ModelCallListener listener) {
        this.listener = listener;
    }

    @Override
    public ModelResponse intercept(Chain chain) {
        ModelRequest r = chain.request();
        long start = System.nanoTime();
        try {
            ModelResponse response = chain.proceed(r);
            Duration latency = Duration.ofNanos(System.nanoTime() - start);
            listener.modelAnswered(r, response, latency);
            return response.withLatency(latency);
        } catch (RuntimeException e) {
            listener.modelFailed(r, chain.backend(), Duration.ofNanos(System.nanoTime() - start), e);
            throw e;
        }
    }
}
