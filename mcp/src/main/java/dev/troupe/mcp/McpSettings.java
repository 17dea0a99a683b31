package dev.troupe.mcp;

import static com.google.common.base.Preconditions.checkArgument;

import java.time.Duration;

/**
 * How long an MCP server may take to start and to answer one call, and how often a stopped stdio
 * server is started again in one run.
 */
public record McpSettings(Duration startTimeout, Duration callTimeout, int restarts) {
    /** npx may download a server on its first start, so starting gets more time than a call. */
    public static final McpSettings DEFAULT = new McpSettings(Duration.ofSeconds(60), Duration.ofSeconds(60), 2);

    public McpSettings {
        checkArgument(startTimeout.isPositive(), "startTimeout must be positive, was %s", startTimeout);
        checkArgument(callTimeout.isPositive(), "callTimeout must be positive, was %s", callTimeout);
        checkArgument(restarts >= 0, "restarts must be 0 or more, was %s", restarts);
    }
}
