package dev.troupe.agents.role.internal;

import dev.troupe.agents.role.CallOutcome;
import dev.troupe.agents.role.StepCall;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableList;
import dev.troupe.agents.action.internal.ActionOutput;
import dev.troupe.agents.error.ActionFailedException;
import dev.troupe.agents.message.Message;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Names the calls of one agent's current step and runs each through {@link RunContext#once}, so a
 * journaled run records them and a resumed run gets back what they produced instead of calling
 * again. One per agent; an agent's steps never overlap.
 */
final class StepCalls {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final String role;
    private final RunContext run;
    private String step = "none";
    private ImmutableList<String> news = ImmutableList.of();
    private int round;
    private int next;
    private StepCall last;

    StepCalls(String role, RunContext run) {
        this.role = role;
        this.run = run;
    }

    /** Starts naming the calls of a step that answers {@code news}. */
    void begin(List<Message> stepNews, int stepRound) {
        round = stepRound;
        next = 0;
        last = null;
        if (!run.namesCalls()) {
            // Nothing records or replays the calls: they need no names, and messages get fresh ids.
            return;
        }
        news = stepNews.stream().map(Message::id).collect(ImmutableList.toImmutableList());
        step = StepCall.stepOf(role, news);
    }

    /** Runs a think or plan call of the step once. */
    ActionOutput output(String action, Supplier<ActionOutput> work) {
        return output(action, work, false);
    }

    /** Runs the call of an action whose message is published next, once. */
    ActionOutput outputThenPublish(String action, Supplier<ActionOutput> work) {
        return output(action, work, true);
    }

    private ActionOutput output(String action, Supplier<ActionOutput> work, boolean publishesNext) {
        if (!run.namesCalls()) {
            next++;
            return work.get();
        }
        StepCall call = nextCall(action);
        Supplier<CallOutcome> named = outcomeOf(() -> toJson(work.get()));
        return switch (publishesNext ? run.onceThenPublish(call, named) : run.once(call, named)) {
            case CallOutcome.Output o -> fromJson(o.value());
            case CallOutcome.Failed f -> throw new ActionFailedException(f.role(), f.action(), f.detail());
        };
    }

    /**
     * Runs a command of the step once, its message published next; {@code work} returns the command's payload, or
     * throws {@link ActionFailedException} when its failure ends the step (that run is journaled as failed).
     */
    ObjectNode command(String action, Supplier<ObjectNode> work) {
        if (!run.namesCalls()) {
            next++;
            return work.get();
        }
        return switch (run.onceThenPublish(nextCall(action), outcomeOf(work::get))) {
            case CallOutcome.Output o -> (ObjectNode) o.value();
            case CallOutcome.Failed f -> throw new ActionFailedException(f.role(), f.action(), f.detail());
        };
    }

    private static Supplier<CallOutcome> outcomeOf(Supplier<JsonNode> work) {
        return () -> {
            try {
                return new CallOutcome.Output(work.get());
            } catch (ActionFailedException e) {
                // Journaled too: a step that goes on after a failed call (a re-plan) meets the same failure on resume,
                // and a failure that ended the run runs again.
                return new CallOutcome.Failed(e.role(), e.action(), e.detail());
            }
        };
    }

    /** The id for the message of the step's latest call; null (a fresh id) when calls are not journaled. */
    String messageId() {
        if (!run.namesCalls()) {
            if (next == 0) {
                throw new IllegalStateException("role '" + role + "' published before making a call in its step");
            }
            return null;
        }
        if (last == null) {
            throw new IllegalStateException("role '" + role + "' published before making a call in its step");
        }
        return last.messageId(run.runId());
    }

    private StepCall nextCall(String action) {
        last = new StepCall(role, action, step, next++, news, round);
        return last;
    }

    static JsonNode toJson(ActionOutput out) {
        ObjectNode json = F.objectNode().put("content", out.content());
        out.payload().ifPresent(p -> json.set("payload", p));
        out.model().ifPresent(m -> json.put("model", m));
        return json.put("synthetic", out.synthetic());
    }

    static ActionOutput fromJson(JsonNode json) {
        JsonNode payload = json.get("payload");
        return new ActionOutput(json.path("content").asText(),
                payload == null || payload.isNull() ? Optional.empty() : Optional.of(payload),
                json.hasNonNull("model") ? Optional.of(json.get("model").asText()) : Optional.empty(),
                json.path("synthetic").asBoolean());
    }
}
