package dev.troupe.mcp;

import dev.troupe.agents.tool.ToolProvider;
import dev.troupe.roles.tools.McpToolSource;
import dev.troupe.roles.tools.McpToolsDefinition;

/** The MCP client behind a team file's {@code tools: mcp:}, found by the team loader through ServiceLoader. */
public final class McpToolSourceProvider implements McpToolSource {
    @Override
    public ToolProvider open(McpToolsDefinition definition) {
        return new McpToolbox(definition, McpSettings.DEFAULT);
    }
}
