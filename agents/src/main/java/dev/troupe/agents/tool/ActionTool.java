package dev.troupe.agents.tool;

import dev.langchain4j.agent.tool.ToolSpecification;

/** A function an action lets its model call; the result's text goes back to the model as tool-result data. */
public interface ActionTool {
    ToolSpecification specification();

    /**
     * Runs the tool with the model's JSON arguments. Exceptions become error observations the model
     * can act on; they never end the action by themselves. A result with an {@link ToolResult#error()}
     * reports a failed call: the trace marks it and reflection judges the step failed.
     */
    ToolResult execute(String argumentsJson) throws Exception;

    /** The tool's name as the model sees it; its specification's name by default. */
    default String name() {
        return specification().name();
    }

    /**
     * Whether calling the tool changes nothing (a lookup). A reflective retry replays a read-only
     * step from its cached observation instead of calling it again; any other step runs again.
     */
    default boolean readOnly() {
        return false;
    }
}
