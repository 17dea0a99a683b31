package dev.troupe.bench.jmh;

import dev.troupe.agents.message.InMemoryMessageBus;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.message.MessageFilter;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The in-memory bus from publish to delivery: delivery is synchronous, so a publish returns once
 * every matching subscriber has the message. Every subscriber watches the published action, as a
 * role watching its predecessor does. The bus keeps each run's history, so each invocation publishes
 * a batch of {@value #BATCH} messages on a fresh bus (made outside the timing): the history stays the
 * size of a long run instead of growing to millions of entries.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BusBenchmark {
    static final int BATCH = 1_024;

    @Param({"1", "10"})
    public int subscribers;

    private InMemoryMessageBus bus;
    private Message message;
    private long delivered;
    private Message last;

    @Setup(Level.Invocation)
    public void setUp() {
        bus = new InMemoryMessageBus();
        for (int i = 0; i < subscribers; i++) {
            bus.subscribe(MessageFilter.forRole("run-1", "Reader" + i, Set.of("Draft")), m -> {
                last = m;
                delivered++;
            });
        }
        message = draft();
    }

    private static Message draft() {
        return Message.builder().runId("run-1").round(1).sender("Writer").causeBy("Draft").content("Draft <<req-1>>").build();
    }

    /** Publishes a prebuilt message to delivery. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long publish() {
        for (int i = 0; i < BATCH; i++) {
            bus.publish(message);
        }
        return delivered;
    }

    /** Builds a message as a step does (random id, timestamp) and publishes it to delivery. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long buildAndPublish() {
        for (int i = 0; i < BATCH; i++) {
            bus.publish(draft());
        }
        return delivered;
    }
}
