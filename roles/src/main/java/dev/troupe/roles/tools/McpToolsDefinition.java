package dev.troupe.roles.tools;

import com.google.common.collect.ImmutableList;

/**
 * A role's {@code tools:} key when its tools come from MCP servers.
 *
 * @param servers  the servers, in the file's order
 * @param names    the allow-list of tool names; empty for all of them
 * @param retrieve how many tools to retrieve for each call's prompt; 0 for all
 * @param readOnly tools a reflective retry may replay from their cached observation
 * @param allowHosts hosts an HTTP server may be at although they are not public (loopback, private networks)
 */
public record McpToolsDefinition(ImmutableList<McpServerDefinition> servers, ImmutableList<String> names, int retrieve,
                                 ImmutableList<String> readOnly, ImmutableList<String> allowHosts) {
    public McpToolsDefinition {
        servers = ImmutableList.copyOf(servers);
        names = ImmutableList.copyOf(names);
        readOnly = ImmutableList.copyOf(readOnly);
        allowHosts = ImmutableList.copyOf(allowHosts);
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("'mcp:' lists no server");
        }
        if (retrieve < 0) {
            throw new IllegalArgumentException("retrieve must be 0 or more, was " + retrieve);
        }
    }
}
