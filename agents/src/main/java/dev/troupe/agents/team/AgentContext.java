package dev.troupe.agents.team;

import com.google.common.collect.ImmutableList;
import dev.troupe.agents.event.RunListener;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.model.internal.ModelGateway;
import dev.troupe.agents.reflection.internal.ReflectionScope;
import dev.troupe.agents.role.CallOutcome;
import dev.troupe.agents.role.internal.RunContext;
import dev.troupe.agents.role.StepCall;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a role agent of an in-process run is handed: the run's id, requirement, gateway, listener,
 * folders and lessons, and two narrow doors back — where its messages go and, in a journaled run,
 * where its calls are recorded. The agent never sees the run itself.
 *
 * @param messages the run's messages so far, in publish order
 * @param calls    present in a journaled run: records calls and answers replayed ones
 */
record AgentContext(String runId, String requirement, ModelGateway gateway, RunListener listener, Optional<Path> workspace,
                    Optional<ReflectionScope> reflection, Outbox outbox, Optional<Calls> calls,
                    Supplier<ImmutableList<Message>> messages) implements RunContext {

    /** Where an agent's messages go. */
    interface Outbox {
        /** Publishes {@code m}; {@code last}: the publishing step returns right after. */
        void publish(Message m, boolean last);
    }

    /** Where a journaled run's calls are recorded and replayed calls answered. */
    interface Calls {
        CallOutcome once(StepCall call, Supplier<CallOutcome> work, boolean publishesNext);
    }

    @Override
    public void publish(Message message) {
        outbox.publish(message, false);
    }

    @Override
    public void publishLast(Message message) {
        outbox.publish(message, true);
    }

    @Override
    public boolean namesCalls() {
        return calls.isPresent();
    }

    @Override
    public ImmutableList<Message> history() {
        return messages.get();
    }

    @Override
    public CallOutcome once(StepCall call, Supplier<CallOutcome> work) {
        return calls.isPresent() ? calls.get().once(call, work, false) : work.get();
    }

    @Override
    public CallOutcome onceThenPublish(StepCall call, Supplier<CallOutcome> work) {
        return calls.isPresent() ? calls.get().once(call, work, true) : work.get();
    }
}
