package dev.troupe.agents.model;

/**
 * One concern around a model call (retry, budget, rate limit, recording, tracing), chained the
 * way OkHttp chains its interceptors. Call {@link Chain#proceed} to pass the call on.
 */
@FunctionalInterface
public interface ModelInterceptor {

    ModelResponse intercept(Chain chain);

    /** The rest of the chain, from this interceptor's point of view. */
    interface Chain {
        ModelRequest request();

        /** The backend the chain ends in. */
        ModelBackend backend();

        ModelResponse proceed(ModelRequest request);
    }
}
