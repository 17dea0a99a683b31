package dev.troupe.agents.role.internal;

import dev.troupe.agents.role.CallOutcome;
import dev.troupe.agents.role.StepCall;
import com.google.common.collect.ImmutableList;
import dev.troupe.agents.event.RunListener;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.model.internal.ModelGateway;
import dev.troupe.agents.reflection.internal.ReflectionScope;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

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
     * Whether the calls of a step are named ({@link StepCall}) and its messages get ids derived from
     * them: a journaled run records calls by name, and a run whose steps may be redone elsewhere (a
     * NATS worker) needs the same ids each time. When false, messages get fresh ids.
     */
    default boolean namesCalls() {
        return false;
    }

    /** The folder where actions write files and run commands; empty when the team has none. */
    Optional<Path> workspace();

    /** Where reflective actions keep their lessons; empty when the run has none. */
    default Optional<ReflectionScope> reflection() {
        return Optional.empty();
    }

    /** Every message of the run so far, in publish order. */
    ImmutableList<Message> history();

    /**
     * Runs one named call of a step and returns what it came to. A journaled run records the
     * outcome before returning it; a resumed run returns the recorded outcome of a call it
     * completed before, without running {@code work} again.
     */
    default CallOutcome once(StepCall call, Supplier<CallOutcome> work) {
        return work.get();
    }

    /**
     * As {@link #once}, for a call whose action publishes its message next, from this thread: a
     * journaled run may record the call together with that message, in one write.
     */
    default CallOutcome onceThenPublish(StepCall call, Supplier<CallOutcome> work) {
        return once(call, work);
    }
}
