package dev.troupe.agents.planner.internal;

import com.google.common.collect.ImmutableList;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.troupe.agents.error.ActionFailedException;
import dev.troupe.agents.event.RunEvent;
import dev.troupe.agents.event.RunListener;
import dev.troupe.agents.tool.ActionTool;
import dev.troupe.agents.tool.ToolResult;
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

    /** The tools, each name once, in the order given (without Finish). */
    public ImmutableList<ActionTool> tools() {
        return ImmutableList.copyOf(tools.values());
    }

    /** The tool of that name, if the action has one. */
    public Optional<ActionTool> tool(String name) {
        return Optional.ofNullable(tools.get(name));
    }

    /** Runs {@code call} and returns its result; the model is shown its text. */
    public ToolResult run(ToolExecutionRequest call) {
        long start = System.nanoTime();
        ActionTool tool = tools.get(call.name());
        ToolResult result;
        if (tool == null) {
            result = new ToolResult("Error: there is no tool named '" + call.name() + "'. Available tools: "
                    + (tools.isEmpty() ? "none" : String.join(", ", tools.keySet())) + ", " + Finish.NAME + ".",
                    Optional.of(ToolResult.ErrorKind.UNKNOWN_TOOL));
        } else {
            try {
                result = tool.execute(call.arguments() == null ? "{}" : call.arguments());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ActionFailedException(role, action, "interrupted while running tool " + call.name(), e);
            } catch (Exception e) {
                result = new ToolResult("Error: tool '" + call.name() + "' failed: " + e.getMessage(),
                        Optional.of(ToolResult.ErrorKind.TOOL_EXCEPTION));
            }
        }
        listener.on(new RunEvent.ToolCall(runId, Instant.now(), role, action, call.name(), call.arguments(), result.text(),
                result.failed(), Duration.ofNanos(System.nanoTime() - start)));
        return result;
    }
}
