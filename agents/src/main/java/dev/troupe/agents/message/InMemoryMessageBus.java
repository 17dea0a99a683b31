package dev.troupe.agents.message;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default bus: one JVM, no broker. Publishing is serialised, so all subscribers see one total
 * order; delivery is synchronous, which keeps a run's quiescence exact (a publish returns only
 * after every matching subscriber has the message).
 */
public final class InMemoryMessageBus implements MessageBus {
    private static final Logger log = LoggerFactory.getLogger(InMemoryMessageBus.class);

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, List<Message>> historyByRun = new HashMap<>();
    private final List<Sub> subscriptions = new CopyOnWriteArrayList<>();

    @Override
    public void publish(Message message) {
        lock.lock();
        try {
            historyByRun.computeIfAbsent(message.runId(), k -> new ArrayList<>()).add(message);
            for (Sub sub : subscriptions) {
                if (sub.active && sub.filter.matches(message)) {
                    deliver(sub, message);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private static void deliver(Sub sub, Message message) {
        try {
            sub.handler.onMessage(message);
        } catch (RuntimeException e) {
            // A failing subscriber must not stop the others from seeing the message.
            log.error("Subscriber {} failed on message {} ({}): {}", sub.handler, message.id(), message.causeBy(), e.toString(), e);
        }
    }

    @Override
    public Subscription subscribe(MessageFilter filter, MessageHandler handler) {
        Sub sub = new Sub(filter, handler);
        subscriptions.add(sub);
        return () -> {
            sub.active = false;
            subscriptions.remove(sub);
        };
    }

    @Override
    public ImmutableList<Message> history(String runId) {
        lock.lock();
        try {
            return ImmutableList.copyOf(historyByRun.getOrDefault(runId, List.of()));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isDeliveringOnThisThread() {
        return lock.isHeldByCurrentThread();
    }

    private static final class Sub {
        final MessageFilter filter;
        final MessageHandler handler;
        volatile boolean active = true;

        Sub(MessageFilter filter, MessageHandler handler) {
            this.filter = filter;
            this.handler = handler;
        }
    }
}
