package dev.troupe.roles.tools;

import dev.troupe.agents.tool.ToolProvider;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Turns a role's {@code tools: mcp:} servers into its tool provider. The MCP client lives in
 * {@code troupe-mcp}, found through {@link ServiceLoader}, so teams without MCP servers do not carry it.
 */
public interface McpToolSource {
    /**
     * The provider of the servers' tools. It starts nothing: the servers start when the tools are
     * first asked for, so loading or validating a team runs no server.
     */
    ToolProvider open(McpToolsDefinition definition);

    /** The MCP client on the class path, if any. */
    static Optional<McpToolSource> installed() {
        return ServiceLoader.load(McpToolSource.class, McpToolSource.class.getClassLoader()).findFirst();
    }
}
