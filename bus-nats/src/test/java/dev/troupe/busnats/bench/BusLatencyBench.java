package dev.troupe.busnats.bench;

import dev.troupe.agents.message.InMemoryMessageBus;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.message.MessageBus;
import dev.troupe.agents.message.MessageFilter;
import dev.troupe.busnats.NatsMessageBus;
import dev.troupe.busnats.NatsSettings;
import dev.troupe.busnats.TeamStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Messages per second and publish-to-delivery latency of the in-memory and the NATS bus, with one
 * subscriber on the publishing bus and (NATS) one on a second connection, as another process would.
 * Not a test: run it by hand (see BENCHMARKS.md, "The message bus", for the command).
 */
public final class BusLatencyBench {

    record Result(String bus, String subscriber, int publishers, int messages, double perSecond, double p50Micros, double p99Micros) {
        @Override
        public String toString() {
            return String.format("| %-9s | %-22s | %2d | %,7d | %,10.0f | %,9.1f | %,9.1f |", bus, subscriber, publishers, messages,
                    perSecond, p50Micros, p99Micros);
        }
    }

    public static void main(String[] args) throws Exception {
        int inMemoryMessages = 200_000;
        int natsMessages = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        String url = NatsSettings.defaultUrl();
        List<Result> results = new ArrayList<>();
        for (int publishers : new int[] {1, 4}) {
            measure("in-memory", "same bus", InMemoryMessageBus::new, null, publishers, inMemoryMessages / 10);   // warm-up
            results.add(measure("in-memory", "same bus", InMemoryMessageBus::new, null, publishers, inMemoryMessages));
        }
        NatsSettings settings = NatsSettings.of(url).withPrefix("bench" + UUID.randomUUID().toString().substring(0, 8));
        try (TeamStream stream = TeamStream.open(settings, "bench"); TeamStream other = TeamStream.open(settings, "bench")) {
            for (int publishers : new int[] {1, 4}) {
                measure("NATS", "same bus", () -> NatsMessageBus.on(stream), null, publishers, natsMessages / 10);
                results.add(measure("NATS", "same bus", () -> NatsMessageBus.on(stream), null, publishers, natsMessages));
                results.add(measure("NATS", "second connection", () -> NatsMessageBus.on(stream), () -> NatsMessageBus.on(other),
                        publishers, natsMessages));
            }
            stream.delete();
        }
        System.out.println("| bus       | subscriber             | pub | messages |    msgs/s | p50 µs    | p99 µs    |");
        System.out.println("|-----------|------------------------|----:|---------:|----------:|----------:|----------:|");
        results.forEach(System.out::println);
    }

    /**
     * Publishes {@code count} messages from {@code publishers} threads on one bus; the subscriber (on the same
     * bus, or on {@code subscriberBus}) records the time from just before publish() to its handler.
     */
    private static Result measure(String name, String where, Supplier<MessageBus> busFactory, Supplier<MessageBus> subscriberBus,
                                  int publishers, int count) throws Exception {
        String run = "bench-" + UUID.randomUUID();
        long[] latencies = new long[count];
        AtomicInteger received = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(1);
        try (MessageBus bus = busFactory.get(); MessageBus sub = subscriberBus == null ? null : subscriberBus.get()) {
            (sub == null ? bus : sub).subscribe(MessageFilter.forRole(run, "Reader", List.of("Tick")), m -> {
                long now = System.nanoTime();
                int i = received.getAndIncrement();
                latencies[i] = now - Long.parseLong(m.content());
                if (i + 1 == count) {
                    done.countDown();
                }
            });
            int each = count / publishers;
            List<Thread> threads = new ArrayList<>();
            long start = System.nanoTime();
            for (int p = 0; p < publishers; p++) {
                String sender = "W" + p;
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < each; i++) {
                        bus.publish(Message.builder().runId(run).sender(sender).causeBy("Tick").content(Long.toString(System.nanoTime())).build());
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            if (!done.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + ": only " + received.get() + " of " + count + " delivered");
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long[] sorted = Arrays.copyOf(latencies, count);
            Arrays.sort(sorted);
            return new Result(name, where, publishers, count, count / seconds, sorted[count / 2] / 1e3, sorted[(int) (count * 0.99)] / 1e3);
        }
    }
}
