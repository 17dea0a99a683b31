package dev.troupe.agents.model;

import dev.troupe.agents.model.internal.ConcurrencyLimitInterceptor;
import dev.troupe.agents.model.internal.ModelGateway;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.troupe.agents.testing.Fakes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConcurrencyLimitInterceptorTest {

    /** A backend that counts the calls inside it and holds each one until the gate opens. */
    private static final class GatedBackend {
        final Set<Thread> inside = ConcurrentHashMap.newKeySet();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        final CountDownLatch gate = new CountDownLatch(1);
        final ModelBackend backend;

        GatedBackend(String spec) {
            backend = Fakes.backend(spec, r -> {
                inside.add(Thread.currentThread());
                maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                } finally {
                    inFlight.decrementAndGet();
                    inside.remove(Thread.currentThread());
                }
                return Fakes.reply("ok");
            });
        }
    }

    private static ModelGateway gateway(int limit) {
        return ModelGateway.builder().concurrencyPerModel(limit).retryPolicy(RetryPolicy.none()).prices(PriceTable.empty()).build();
    }

    private static List<Thread> callers(int n, ModelGateway gateway, ModelBackend backend, List<Throwable> errors) {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String role = "R" + i;
            threads.add(new Thread(() -> {
                try {
                    gateway.call(backend, Fakes.request(role, "Act", "go"));
                } catch (Throwable t) {
                    errors.add(t);
                }
            }, "caller-" + i));
        }
        threads.forEach(Thread::start);
        return threads;
    }

    /** Waits until every caller is parked: inside the backend on its gate, or waiting for a slot. */
    private static void awaitAllParked(List<Thread> threads) {
        while (!threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING)) {
            Thread.onSpinWait();
        }
    }

    @Test
    void neverLetsMoreThanTheLimitOfCallsIntoOneModelAtOnce() {
        int limit = 3;
        GatedBackend model = new GatedBackend("fake:model");
        ModelGateway gateway = gateway(limit);
        List<Throwable> errors = new CopyOnWriteArrayList<>();

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            List<Thread> threads = callers(10, gateway, model.backend, errors);
            awaitAllParked(threads);
            // Every caller is stuck; only the limit may be inside the model.
            assertThat(model.inside).hasSize(limit);
            model.gate.countDown();
            for (Thread t : threads) {
                t.join();
            }
        });

        assertThat(errors).isEmpty();
        assertThat(model.maxInFlight).hasValue(limit);
        assertThat(model.inFlight).hasValue(0);
    }

    @Test
    void limitIsCountedPerModel() {
        GatedBackend busy = new GatedBackend("fake:busy");
        ModelGateway gateway = gateway(1);
        List<Throwable> errors = new CopyOnWriteArrayList<>();

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            List<Thread> threads = callers(1, gateway, busy.backend, errors);
            awaitAllParked(threads);
            assertThat(busy.inside).hasSize(1);

            // The one slot of fake:busy is taken, yet another model answers at once.
            ModelResponse other = gateway.call(Fakes.backend("fake:other", r -> Fakes.reply("free")),
                    Fakes.request("X", "Act", "go"));
            assertThat(other.text()).isEqualTo("free");

            busy.gate.countDown();
            threads.getFirst().join();
        });
        assertThat(errors).isEmpty();
    }

    @Test
    void slotIsReleasedWhenTheCallFails() {
        ModelGateway gateway = gateway(1);
        ModelBackend failing = Fakes.backend("fake:model", r -> {
            throw new IllegalStateException("boom");
        });

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> gateway.call(failing, Fakes.request("A", "X", "go"))).hasMessageContaining("boom");
            }
            assertThat(gateway.call(Fakes.backend("fake:model", r -> Fakes.reply("ok")), Fakes.request("A", "X", "go")).text())
                    .isEqualTo("ok");
        });
    }

    @Test
    void limitBelowOneIsRejected() {
        assertThatThrownBy(() -> new ConcurrencyLimitInterceptor(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
