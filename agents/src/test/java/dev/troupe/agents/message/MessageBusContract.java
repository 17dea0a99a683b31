package dev.troupe.agents.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.agents.json.internal.Json;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link MessageBus} must do, run against each implementation (extend it and supply
 * {@link #newBus()}). Delivery may be asynchronous: tests wait for what must arrive, and prove that
 * something did not arrive by waiting for a later message on the same subscription (order is part
 * of the contract), never by sleeping.
 */
public abstract class MessageBusContract {

    /** A fresh bus; closed after each test. Runs use fresh ids, so buses may share state between tests. */
    protected abstract MessageBus newBus();

    /** How long a message may take to reach a subscriber. */
    protected Duration deliveryTimeout() {
        return Duration.ofSeconds(10);
    }

    protected MessageBus bus;
    protected final String run = "run-" + UUID.randomUUID();

    @BeforeEach
    void openBus() {
        bus = newBus();
    }

    @AfterEach
    void closeBus() {
        if (bus != null) {   // null when newBus() skipped the test
            bus.close();
        }
    }

    protected static Message msg(String runId, String sender, String causeBy, String... sendTo) {
        return Message.builder().runId(runId).round(1).sender(sender).causeBy(causeBy)
                .sendTo(List.of(sendTo)).content(sender + " did " + causeBy).build();
    }

    /** What one subscription has received, with waits that fail naming what did arrive. */
    protected final class Inbox {
        private final List<Message> seen = new ArrayList<>();
        private Subscription subscription;

        synchronized void add(Message m) {
            seen.add(m);
            notifyAll();
        }

        /** Waits until at least {@code n} messages arrived and returns all of them. */
        public synchronized List<Message> awaitCount(int n) {
            long deadline = System.nanoTime() + deliveryTimeout().toNanos();
            while (seen.size() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    fail("expected " + n + " messages within " + deliveryTimeout() + " but got " + seen.size() + ": " + describe(seen));
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    fail("interrupted");
                }
            }
            return List.copyOf(seen);
        }

        /** Waits for {@code last} and returns the ids of everything received up to and including it. */
        public synchronized List<String> idsUntil(Message last) {
            long deadline = System.nanoTime() + deliveryTimeout().toNanos();
            while (seen.stream().noneMatch(m -> m.id().equals(last.id()))) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    fail("message " + last.causeBy() + " from " + last.sender() + " did not arrive within " + deliveryTimeout()
                            + "; got " + describe(seen));
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    fail("interrupted");
                }
            }
            return seen.stream().map(Message::id).toList();
        }

        void cancel() {
            subscription.cancel();
        }
    }

    protected Inbox subscribe(MessageFilter filter) {
        Inbox inbox = new Inbox();
        inbox.subscription = bus.subscribe(filter, inbox::add);
        return inbox;
    }

    private static String describe(List<Message> ms) {
        return ms.stream().map(m -> m.causeBy() + "/" + m.sender() + "→" + m.sendTo()).toList().toString();
    }

    private static List<String> ids(Message... ms) {
        return List.of(ms).stream().map(Message::id).toList();
    }

    @Test
    void broadcastReachesEveryRoleWatchingItsCauseAndNoOtherRole() {
        Inbox bob = subscribe(MessageFilter.forRole(run, "Bob", List.of("WriteCode")));
        Inbox carol = subscribe(MessageFilter.forRole(run, "Carol", List.of("WriteCode", "WriteTests")));
        Inbox dave = subscribe(MessageFilter.forRole(run, "Dave", List.of("WriteDocs")));

        Message code = msg(run, "Alice", "WriteCode");
        Message docs = msg(run, "Alice", "WriteDocs");
        bus.publish(code);
        bus.publish(docs);

        assertThat(bob.idsUntil(code)).containsExactly(code.id());
        assertThat(carol.idsUntil(code)).containsExactly(code.id());
        assertThat(dave.idsUntil(docs)).containsExactly(docs.id());
    }

    @Test
    void addressedMessageReachesOnlyItsAddresseeEvenWhenOthersWatchItsCause() {
        Inbox bob = subscribe(MessageFilter.forRole(run, "Bob", List.of()));
        Inbox carol = subscribe(MessageFilter.forRole(run, "Carol", List.of("WriteCode")));

        Message toBob = msg(run, "Alice", "WriteCode", "Bob");
        Message toAll = msg(run, "Alice", "WriteCode");
        Message toBobAgain = msg(run, "Alice", "RunTests", "Bob");
        bus.publish(toBob);
        bus.publish(toAll);
        bus.publish(toBobAgain);

        assertThat(bob.idsUntil(toBobAgain)).containsExactly(toBob.id(), toBobAgain.id());
        assertThat(carol.idsUntil(toAll)).containsExactly(toAll.id());
    }

    @Test
    void roleNeverObservesItsOwnBroadcastButObservesWhatItAddressesToItself() {
        Inbox alice = subscribe(MessageFilter.forRole(run, "Alice", List.of("WriteCode")));

        Message own = msg(run, "Alice", "WriteCode");
        Message toSelf = msg(run, "Alice", "WriteCode", "Alice");
        Message fromBob = msg(run, "Bob", "WriteCode");
        bus.publish(own);
        bus.publish(toSelf);
        bus.publish(fromBob);

        assertThat(alice.idsUntil(fromBob)).containsExactly(toSelf.id(), fromBob.id());
    }

    @Test
    void observerOfARunSeesEveryMessageOfItWhateverItsAddress() {
        Inbox observer = subscribe(MessageFilter.allOf(run));

        Message a = msg(run, "Alice", "WritePRD");
        Message b = msg(run, "Bob", "WriteCode", "Carol");
        Message c = msg(run, "Carol", "RunTests", "Bob", "Dave");
        bus.publish(a);
        bus.publish(b);
        bus.publish(c);

        assertThat(observer.idsUntil(c)).containsExactly(a.id(), b.id(), c.id());
    }

    @Test
    void eachSubscriberSeesMessagesInPublishOrder() {
        Inbox bob = subscribe(MessageFilter.forRole(run, "Bob", List.of("Tick")));
        Inbox observer = subscribe(MessageFilter.allOf(run));

        List<String> published = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Message m = i % 3 == 0 ? msg(run, "Alice", "Tick", "Bob") : msg(run, "Alice", "Tick");
            bus.publish(m);
            published.add(m.id());
        }

        assertThat(bob.awaitCount(100)).extracting(Message::id).containsExactlyElementsOf(published);
        assertThat(observer.awaitCount(100)).extracting(Message::id).containsExactlyElementsOf(published);
    }

    @Test
    void concurrentPublishersLoseNothingAndDeliverNothingTwice() throws Exception {
        int publishers = 8;
        int each = 50;
        Inbox observer = subscribe(MessageFilter.allOf(run));
        Inbox dave = subscribe(MessageFilter.forRole(run, "Dave", List.of("Work")));

        ExecutorService pool = Executors.newFixedThreadPool(publishers);
        Map<String, List<String>> byPublisher = new HashMap<>();
        List<Future<List<String>>> futures = new ArrayList<>();
        for (int p = 0; p < publishers; p++) {
            String sender = "P" + p;
            futures.add(pool.submit(() -> {
                List<String> mine = new ArrayList<>();
                for (int i = 0; i < each; i++) {
                    Message m = msg(run, sender, "Work");
                    bus.publish(m);
                    mine.add(m.id());
                }
                return mine;
            }));
        }
        for (int p = 0; p < publishers; p++) {
            byPublisher.put("P" + p, futures.get(p).get());
        }
        pool.shutdown();

        Set<String> all = new HashSet<>();
        byPublisher.values().forEach(all::addAll);
        for (Inbox inbox : List.of(observer, dave)) {
            List<Message> got = inbox.awaitCount(publishers * each);
            assertThat(got).extracting(Message::id).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(all);
            for (var e : byPublisher.entrySet()) {
                assertThat(got.stream().filter(m -> m.sender().equals(e.getKey())).map(Message::id).toList())
                        .as("messages of publisher %s in its publish order", e.getKey())
                        .containsExactlyElementsOf(e.getValue());
            }
        }
        assertThat(bus.history(run)).extracting(Message::id).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(all);
    }

    @Test
    void messagesOfOneRunNeverReachSubscribersOfAnother() {
        String other = "run-" + UUID.randomUUID();
        Inbox mine = subscribe(MessageFilter.forRole(run, "Bob", List.of("WriteCode")));
        Inbox theirs = subscribe(MessageFilter.allOf(other));

        Message elsewhere = msg(other, "Alice", "WriteCode");
        Message here = msg(run, "Alice", "WriteCode");
        bus.publish(elsewhere);
        bus.publish(here);

        assertThat(mine.idsUntil(here)).containsExactly(here.id());
        assertThat(theirs.idsUntil(elsewhere)).containsExactly(elsewhere.id());
        assertThat(bus.history(run)).extracting(Message::id).containsExactly(here.id());
        assertThat(bus.history(other)).extracting(Message::id).containsExactly(elsewhere.id());
    }

    @Test
    void historyReplaysTheRunInPublishOrderWithEveryField() throws Exception {
        JsonNode payload = Json.MAPPER.readTree("""
                {"title": "Snake", "files": [{"path": "a.py", "lines": 3}], "ok": true, "none": null}""");
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Message requirement = Message.builder().runId(run).content("A snake game").createdAt(at).build();
        Message prd = Message.builder().runId(run).round(1).sender("Alice").causeBy("WritePRD").content("# PRD\nünïcødé ✓")
                .payload(payload).parents(List.of(requirement.id())).model("scripted:script.yaml").createdAt(at.plusMillis(1)).build();
        Message addressed = Message.builder().runId(run).round(2).sender("Edward").causeBy("RunTests")
                .sendTo(List.of("Alex", "Bob")).content("failed").parents(List.of(prd.id(), requirement.id()))
                .createdAt(at.plusMillis(2)).build();
        for (Message m : List.of(requirement, prd, addressed)) {
            bus.publish(m);
        }

        assertThat(bus.history(run)).containsExactly(requirement, prd, addressed);
        assertThat(bus.history("run-nobody-used")).isEmpty();
    }

    @Test
    void subscriptionSeesOnlyMessagesPublishedAfterItStarted() {
        Message before = msg(run, "Alice", "WritePRD");
        bus.publish(before);
        Inbox late = subscribe(MessageFilter.allOf(run));
        Message after = msg(run, "Alice", "WriteDesign");
        bus.publish(after);

        assertThat(late.idsUntil(after)).containsExactly(after.id());
    }

    @Test
    void cancelledSubscriptionReceivesNothingMore() {
        Inbox cancelled = subscribe(MessageFilter.allOf(run));
        Message first = msg(run, "Alice", "WritePRD");
        bus.publish(first);
        assertThat(cancelled.idsUntil(first)).containsExactly(first.id());

        cancelled.cancel();
        Inbox witness = subscribe(MessageFilter.allOf(run));
        Message second = msg(run, "Alice", "WriteDesign");
        bus.publish(second);

        assertThat(witness.idsUntil(second)).containsExactly(second.id());
        assertThat(cancelled.awaitCount(1)).extracting(Message::id).containsExactly(first.id());
    }

    @Test
    void failingSubscriberKeepsReceivingAndDoesNotStopOthers() {
        Inbox witness = subscribe(MessageFilter.allOf(run));
        Inbox failing = new Inbox();
        failing.subscription = bus.subscribe(MessageFilter.allOf(run), m -> {
            if (m.causeBy().equals("Boom")) {
                throw new IllegalStateException("subscriber failed on purpose");
            }
            failing.add(m);
        });

        Message boom = msg(run, "Alice", "Boom");
        Message after = msg(run, "Alice", "WritePRD");
        bus.publish(boom);
        bus.publish(after);

        assertThat(failing.idsUntil(after)).containsExactly(after.id());
        assertThat(witness.idsUntil(after)).containsExactly(boom.id(), after.id());
    }
}
