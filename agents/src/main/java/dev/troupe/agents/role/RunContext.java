package dev.troupe.agents.role;

import dev.troupe.agents.event.RunListener;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.model.ModelGateway;

/** What a role agent may use of the run it takes part in; it reaches other roles only by publishing. */
public interface RunContext {
    String runId();

    String requirement();

    ModelGateway gateway();

    RunListener listener();

    void publish(Message message);

    /**
     * Publishes the last message of the calling step: the step returns right after. The run may
     * let this thread take up the news it brings instead of starting new threads for it.
     */
    default void publishLast(Message message) {
        publish(message);
    }

    /**
     * Whether {@link #once} records calls (a journaled run). When false, callers may skip
     * naming their calls; implementations that override {@code once} must override this too.
     */
    default boolean journaled() {
        return false;
    }

    /** The folder where actions write files and run commands; empty when the team has none. */
    java.util.Optional<java.nio.file.Path> workspace();

    /** Where reflective actions keep their lessons; empty when the run has none. */
    default java.util.Optional<dev.troupe.agents.reflection.ReflectionScope> reflection() {
        return java.util.Optional.empty();
    }

    /** Every message of the run so far, in publish order. */
    com.google.common.collect.ImmutableList<Message> history();

    /**
     * Runs one call of a step and returns what it produced. A journaled run records the result
     * before returning it; a resumed run returns the recorded result of a call it completed before,
     * without running {@code work} again.
     */
    default com.fasterxml.jackson.databind.JsonNode once(StepCall call,
                                                         java.util.function.Supplier<com.fasterxml.jackson.databind.JsonNode> work) {
        return work.get();
    }

    /**
     * As {@link #once}, for a call whose action publishes its message next, from this thread: a
     * journaled run may record the call together with that message, in one write.
     */
    default com.fasterxml.jackson.databind.JsonNode onceThenPublish(StepCall call,
                                                                    java.util.function.Supplier<com.fasterxml.jackson.databind.JsonNode> work) {
        return once(call, work);
    }
}
