package dev.troupe.busnats.distributed;

import dev.troupe.agents.model.ModelInterceptor;
import dev.troupe.agents.model.ModelResponse;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds one action's model call until the test releases it, like a long call to a live model, and
 * tells the test when the call began and when it returned: latches instead of sleeps and polls.
 */
final class GatedAction implements ModelInterceptor {
    private static final Duration MOST = Duration.ofSeconds(30);

    private final String action;
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch returned = new CountDownLatch(1);

    GatedAction(String action) {
        this.action = action;
    }

    @Override
    public ModelResponse intercept(Chain chain) {
        if (!chain.request().action().equals(action)) {
            return chain.proceed(chain.request());
        }
        started.countDown();
        try {
            if (!release.await(MOST.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released " + action);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while holding " + action);
        }
        try {
            return chain.proceed(chain.request());
        } finally {
            returned.countDown();
        }
    }

    /** Waits until the action's call has begun. */
    void awaitStarted() throws InterruptedException {
        await(started, "began");
    }

    /** Lets the held call go on. */
    void release() {
        release.countDown();
    }

    /** Waits until the released call has returned. */
    void awaitReturned() throws InterruptedException {
        await(returned, "returned");
    }

    private void await(CountDownLatch latch, String what) throws InterruptedException {
        if (!latch.await(MOST.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("the call of " + action + " never " + what + " within " + MOST);
        }
    }
}
