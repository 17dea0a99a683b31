package dev.troupe.agents.planner.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.agents.event.RunListener;
import dev.troupe.agents.model.ModelBackend;
import dev.troupe.agents.model.internal.ModelGateway;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who runs one action and with what, shared by its planner, judge, reflector and repairs.
 * {@code calls} numbers every model call of the action, so no two share an index.
 *
 * @param outputSchema the action's output schema, sent with the calls that may answer
 */
public record PlannerContext(String runId, String role, String action, ModelBackend model, ModelGateway gateway,
                             RunListener listener, ToolBox tools, Optional<JsonNode> outputSchema, AtomicInteger calls) {

    public int nextCall() {
        return calls.getAndIncrement();
    }
}
