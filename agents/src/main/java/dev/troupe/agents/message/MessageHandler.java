package dev.troupe.agents.message;

/** Receives the messages of one subscription, one at a time and in publish order. */
@FunctionalInterface
public interface MessageHandler {
    void onMessage(Message message);
}
