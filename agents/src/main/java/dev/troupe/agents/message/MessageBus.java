package dev.troupe.agents.message;

import com.google.common.collect.ImmutableList;

/**
 * The only channel between roles. Implementations deliver each message once to every matching
 * subscriber, and each subscriber sees messages in publish order.
 */
public interface MessageBus extends AutoCloseable {

    /** Publishes {@code message}; returns once every in-process subscriber has been handed it. */
    void publish(Message message);

    /**
     * Subscribes {@code handler} to messages matching {@code filter}. Handlers must return quickly
     * (hand the message to a queue); they are called one at a time per subscription.
     */
    Subscription subscribe(MessageFilter filter, MessageHandler handler);

    /** Every message of a run, in publish order. */
    ImmutableList<Message> history(String runId);

    /**
     * Whether the calling thread is inside a delivery of this bus (a subscriber called from
     * {@link #publish}), where it may hold locks that {@link #history} needs. The default answers
     * true, which only costs a caller a fresh thread for such work.
     */
    default boolean isDeliveringOnThisThread() {
        return true;
    }

    @Override
    default void close() {}
}
