package dev.troupe.agents.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class InMemoryMessageBusTest {
    private static final String RUN = "run-1";
    private final InMemoryMessageBus bus = new InMemoryMessageBus();

    private static Message msg(String runId, String sender, String causeBy, String... sendTo) {
        return Message.builder().runId(runId).round(1).sender(sender).causeBy(causeBy)
                .sendTo(List.of(sendTo)).content(sender + " did " + causeBy).build();
    }

    private List<Message> subscribe(MessageFilter filter) {
        List<Message> seen = Collections.synchronizedList(new ArrayList<>());
        bus.subscribe(filter, seen::add);
        return seen;
    }

    private static List<String> ids(List<Message> messages) {
        synchronized (messages) {
            return messages.stream().map(Message::id).toList();
        }
    }

    @Test
    void aSubscriberKnowsItIsCalledFromInsideAPublish() {
        List<Boolean> inside = new ArrayList<>();
        bus.subscribe(MessageFilter.allOf(RUN), m -> inside.add(bus.isDeliveringOnThisThread()));

        bus.publish(msg(RUN, "Alice", "WritePRD"));

        assertThat(inside).containsExactly(true);
        assertThat(bus.isDeliveringOnThisThread()).isFalse();
    }

    @Test
    void reroutesAddressedMessageToAddressedRoleOnlyEvenIfOthersWatchItsCause() {
        List<Message> bob = subscribe(MessageFilter.forRole(RUN, "Bob", List.of("WriteCode")));
        List<Message> carol = subscribe(MessageFilter.forRole(RUN, "Carol", List.of("WriteCode")));

        Message m = msg(RUN, "Alice", "WriteCode", "Bob");
        bus.publish(m);

        assertThat(ids(bob)).containsExactly(m.id());
        assertThat(carol).isEmpty();
    }

    @Test
    void addressedMessageReachesAddresseeThatDoesNotWatchItsCause() {
        List<Message> bob = subscribe(MessageFilter.forRole(RUN, "Bob", List.of()));

        Message m = msg(RUN, "Alice", "WriteCode", "Bob");
        bus.publish(m);

        assertThat(ids(bob)).containsExactly(m.id());
    }

    @Test
    void broadcastReachesEveryRoleWatchingItsCauseAndNoOtherRole() {
        List<Message> bob = subscribe(MessageFilter.forRole(RUN, "Bob", List.of("WriteCode")));
        List<Message> carol = subscribe(MessageFilter.forRole(RUN, "Carol", List.of("WriteCode", "WriteTests")));
        List<Message> dave = subscribe(MessageFilter.forRole(RUN, "Dave", List.of("WriteDocs")));

        Message m = msg(RUN, "Alice", "WriteCode");
        bus.publish(m);

        assertThat(ids(bob)).containsExactly(m.id());
        assertThat(ids(carol)).containsExactly(m.id());
        assertThat(dave).isEmpty();
    }

    @Test
    void roleDoesNotObserveItsOwnBroadcast() {
        List<Message> alice = subscribe(MessageFilter.forRole(RUN, "Alice", List.of("WriteCode")));
        List<Message> bob = subscribe(MessageFilter.forRole(RUN, "Bob", List.of("WriteCode")));

        bus.publish(msg(RUN, "Alice", "WriteCode"));

        assertThat(alice).isEmpty();
        assertThat(bob).hasSize(1);
    }

    @Test
    void roleObservesAMessageItAddressesToItself() {
        List<Message> alice = subscribe(MessageFilter.forRole(RUN, "Alice", List.of()));

        bus.publish(msg(RUN, "Alice", "Note", "Alice"));

        assertThat(alice).hasSize(1);
    }

    @Test
    void observerOfARunSeesEveryMessageWhateverItsAddress() {
        List<Message> observer = subscribe(MessageFilter.allOf(RUN));

        Message a = msg(RUN, "Alice", "WriteCode", "Bob");
        Message b = msg(RUN, "Bob", "Review");
        bus.publish(a);
        bus.publish(b);

        assertThat(ids(observer)).containsExactly(a.id(), b.id());
    }

    @Test
    void eachSubscriberSeesMessagesInPublishOrder() {
        List<Message> watcher = subscribe(MessageFilter.forRole(RUN, "Watcher", List.of("A", "B", "C")));
        List<Message> observer = subscribe(MessageFilter.allOf(RUN));
        List<String> published = new ArrayList<>();
        String[] causes = {"A", "B", "C"};
        for (int i = 0; i < 300; i++) {
            Message m = msg(RUN, "P" + (i % 4), causes[i % 3]);
            published.add(m.id());
            bus.publish(m);
        }

        assertThat(ids(watcher)).containsExactlyElementsOf(published);
        assertThat(ids(observer)).containsExactlyElementsOf(published);
        assertThat(bus.history(RUN).stream().map(Message::id).toList()).containsExactlyElementsOf(published);
    }

    @Test
    void cancelledSubscriptionReceivesNothingMore() {
        List<Message> seen = Collections.synchronizedList(new ArrayList<>());
        Subscription sub = bus.subscribe(MessageFilter.allOf(RUN), seen::add);

        bus.publish(msg(RUN, "Alice", "One"));
        sub.cancel();
        bus.publish(msg(RUN, "Alice", "Two"));

        assertThat(seen).extracting(Message::causeBy).containsExactly("One");
        assertThat(bus.history(RUN)).hasSize(2);
    }

    @Test
    void failingSubscriberDoesNotStopDeliveryToOthers() {
        bus.subscribe(MessageFilter.allOf(RUN), m -> {
            throw new IllegalStateException("subscriber bug");
        });
        List<Message> healthy = subscribe(MessageFilter.allOf(RUN));

        bus.publish(msg(RUN, "Alice", "One"));
        bus.publish(msg(RUN, "Alice", "Two"));

        assertThat(healthy).extracting(Message::causeBy).containsExactly("One", "Two");
    }

    @Test
    void messagesOfOneRunAreIsolatedFromAnother() {
        List<Message> role1 = subscribe(MessageFilter.forRole("run-1", "Bob", List.of("WriteCode")));
        List<Message> role2 = subscribe(MessageFilter.forRole("run-2", "Bob", List.of("WriteCode")));
        List<Message> observer1 = subscribe(MessageFilter.allOf("run-1"));
        List<Message> everything = subscribe(MessageFilter.all());

        Message inRun1 = msg("run-1", "Alice", "WriteCode");
        Message inRun2 = msg("run-2", "Alice", "WriteCode");
        Message addressedInRun2 = msg("run-2", "Alice", "Ping", "Bob");
        bus.publish(inRun1);
        bus.publish(inRun2);
        bus.publish(addressedInRun2);

        assertThat(ids(role1)).containsExactly(inRun1.id());
        assertThat(ids(role2)).containsExactly(inRun2.id(), addressedInRun2.id());
        assertThat(ids(observer1)).containsExactly(inRun1.id());
        assertThat(ids(everything)).containsExactly(inRun1.id(), inRun2.id(), addressedInRun2.id());
        assertThat(bus.history("run-1")).extracting(Message::id).containsExactly(inRun1.id());
        assertThat(bus.history("run-2")).extracting(Message::id).containsExactly(inRun2.id(), addressedInRun2.id());
        assertThat(bus.history("run-3")).isEmpty();
    }

    @Test
    void concurrentPublishersDeliverEveryMessageExactlyOnceToEverySubscriberInPerPublisherOrder() throws Exception {
        int threads = 16;
        int perThread = 2_000;
        int total = threads * perThread;
        List<Message> observer = subscribe(MessageFilter.allOf(RUN));
        List<Message> watcher = subscribe(MessageFilter.forRole(RUN, "Watcher", List.of("Tick")));
        List<Message> everything = subscribe(MessageFilter.all());
        Set<String> publishedIds = ConcurrentHashMap.newKeySet();

        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    String sender = "P" + t;
                    futures.add(pool.submit(() -> {
                        go.await();
                        for (int i = 0; i < perThread; i++) {
                            Message m = Message.builder().runId(RUN).round(1).sender(sender).causeBy("Tick")
                                    .content(Integer.toString(i)).build();
                            publishedIds.add(m.id());
                            bus.publish(m);
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> f : futures) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
        });

        assertThat(publishedIds).hasSize(total);
        List<String> historyIds = bus.history(RUN).stream().map(Message::id).toList();
        assertThat(historyIds).hasSize(total);
        for (List<Message> seen : List.of(observer, watcher, everything)) {
            List<String> seenIds = ids(seen);
            assertThat(seenIds).hasSize(total);
            assertThat(new HashSet<>(seenIds)).isEqualTo(publishedIds);
            // One total order: every subscriber sees the history's order.
            assertThat(seenIds).isEqualTo(historyIds);
            Map<String, List<Integer>> bySender;
            synchronized (seen) {
                bySender = seen.stream().collect(Collectors.groupingBy(Message::sender,
                        Collectors.mapping(m -> Integer.parseInt(m.content()), Collectors.toList())));
            }
            assertThat(bySender).hasSize(threads);
            List<Integer> expected = IntStream.range(0, perThread).boxed().toList();
            bySender.forEach((sender, seq) -> assertThat(seq).as("order of %s", sender).isEqualTo(expected));
        }
    }
}
