package dev.troupe.agents.planner.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.troupe.agents.tool.ToolResult;
import dev.troupe.memory.reflection.ActionCall;
import dev.troupe.memory.reflection.Step;
import dev.troupe.memory.reflection.StepStatus;
import java.util.List;
import java.util.Optional;

/** How the planners record a tool call as a {@link Step} of their attempt, the same way in each. */
final class Steps {
    private Steps() {}

    /** The model's call as the memory keeps it; arguments that are not a JSON object are kept as text. */
    static ActionCall call(ToolExecutionRequest call) {
        String args = call.arguments() == null || call.arguments().isBlank() ? "{}" : call.arguments();
        try {
            return ActionCall.of(call.name(), args);
        } catch (IllegalArgumentException notAnObject) {
            return new ActionCall(call.name(), JsonNodeFactory.instance.objectNode().put("unparsed", args));
        }
    }

    /** The state before the next step, as the memory summarizes it. */
    static String state(List<Step> steps) {
        return steps.isEmpty() ? "start" : "after " + steps.getLast().action();
    }

    static StepStatus status(ToolResult result) {
        return result.failed() ? StepStatus.FAILED : StepStatus.OK;
    }

    /**
     * The step after {@code before} that {@code request} makes: run through {@code tools}, or, for a
     * replayed read-only step, {@code cached}'s observation with the status it had.
     */
    static Step take(ToolBox tools, ToolExecutionRequest request, ActionCall call, Optional<Step> cached, List<Step> before,
                     boolean replayed) {
        String observation;
        StepStatus status;
        if (cached.isPresent()) {
            observation = cached.get().observation();
            status = cached.get().status();
        } else {
            ToolResult result = tools.run(request);
            observation = result.text();
            status = status(result);
        }
        return new Step(before.size(), state(before), call, observation, status, replayed);
    }
}
