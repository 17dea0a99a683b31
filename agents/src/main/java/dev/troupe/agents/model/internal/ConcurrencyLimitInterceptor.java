package dev.troupe.agents.model.internal;

import dev.troupe.agents.model.ModelInterceptor;
import dev.troupe.agents.model.ModelResponse;
import static com.google.common.base.Preconditions.checkArgument;

import dev.troupe.agents.error.TroupeException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/** Caps the calls in flight per model, so parallel roles do not stampede one provider. */
public final class ConcurrencyLimitInterceptor implements ModelInterceptor {
    private final int permitsPerModel;
    private final Map<String, Semaphore> semaphores = new ConcurrentHashMap<>();

    public ConcurrencyLimitInterceptor(int permitsPerModel) {
        checkArgument(permitsPerModel >= 1, "concurrency per model must be >= 1 but was %s", permitsPerModel);
        this.permitsPerModel = permitsPerModel;
    }

    @Override
    public ModelResponse intercept(Chain chain) {
        Semaphore s = semaphores.computeIfAbsent(chain.backend().spec(), k -> new Semaphore(permitsPerModel, true));
        try {
            s.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TroupeException("Interrupted while waiting for a free slot on model " + chain.backend().spec(), e);
        }
        try {
            return chain.proceed(chain.request());
        } finally {
            s.release();
        }
    }
}
