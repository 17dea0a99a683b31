package dev.troupe.agents.planner;

import com.google.common.collect.ImmutableList;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.troupe.agents.action.ActionTool;
import dev.troupe.agents.error.ActionFailedException;
import dev.troupe.agents.event.RunEvent;
import dev.troupe.agents.event.RunListener;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tools one action may call, plus {@link Finish}. A call to any other name, injected or
 * hallucinated, becomes an error observation and never reaches a tool.
 */
public final class ToolBox {
    private final Map<String, ActionTool> tools = new LinkedHashMap<>();
    private final ImmutableList<ToolSpecification> specifications;
    private final String runId;
    private final String role;
    private final String action;
    private final RunListener listener;

    public ToolBox(List<ActionTool> tools, String runId, String role, String action, RunListener listener) {
        tools.forEach(t -> this.tools.putIfAbsent(t.name(), t));
        this.specifications = ImmutableList.<ToolSpecification>builder()
                .addAll(this.tools.values().stream().map(ActionTool::specification).toList())
                .add(Finish.specification())
                .build();
        this.runId = runId;
        this.role = role;
        this.action = action;
        this.listener = listener;
    }

    /** The tools' specifications, Finish last. */
    public ImmutableList<ToolSpecification> specifications() {
        return specifications;
    }

    /** The tool of that name, if the action has one. */
    public Optional<ActionTool> tool(String name) {
        return Optional.ofNullable(tools.get(name));
    }

    /** Runs {@code call} and returns the observation for the model. */
    public String run(ToolExecutionRequest call) {
        long start = System.nanoTime();
        ActionTool tool = tools.get(call.name());
        String result;
        boolean failed = false;
        if (tool == null) {
            failed = true;
            result = "Error: there is no tool named '" + call.name() + "'. Available tools: "
                    + (tools.isEmpty() ? "none" : String.join(", ", tools.keySet())) + ", " + Finish.NAME + ".";
        } else {
            try {
                result = tool.execute(call.arguments() == null ? "{}" : call.arguments());
                // A tool that reports its own failure (an API error it turned into an observation) failed too.
                failed = failed(result);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ActionFailedException(role, action, "interrupted while running tool " + call.name(), e);
            } catch (Exception e) {
                failed = true;
                result = "Error: tool '" + call.name() + "' failed: " + e.getMessage();
            }
        }
        listener.on(new RunEvent.ToolCall(runId, Instant.now(), role, action, call.name(), call.arguments(), result, failed,
                Duration.ofNanos(System.nanoTime() - start)));
        return result;
    }

    /** Whether a tool's observation reports a failure: tools turn their errors into observations that start with "Error". */
    public static boolean failed(String observation) {
        return observation != null && observation.startsWith("Error");
    }
}
