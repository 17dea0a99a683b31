package dev.troupe.agents.message;

/** A live subscription; cancelling it stops delivery. */
public interface Subscription extends AutoCloseable {
    void cancel();

    @Override
    default void close() {
        cancel();
    }
}
