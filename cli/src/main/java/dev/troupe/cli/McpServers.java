package dev.troupe.cli;

import dev.troupe.mcp.McpToolbox;
import dev.troupe.roles.TeamDefinition;
import java.io.PrintWriter;
import java.util.stream.Stream;

/**
 * Starts a team's MCP servers before the run, one line per server, so a server that does not start is
 * reported before any model is called and the run does not wait for it mid-step.
 */
final class McpServers {
    private McpServers() {}

    static void start(TeamDefinition def, PrintWriter out, boolean quiet) {
        toolboxes(def).forEach(box -> {
            for (McpToolbox.Started s : box.start()) {
                if (!quiet) {
                    out.printf("✓ MCP server '%s': %d tools in %.1f s%n", s.server(), s.tools(), s.took().toMillis() / 1000.0);
                }
            }
        });
        out.flush();
    }

    /** Stops the team's MCP servers (their processes and readers), however the run ended. */
    static void stop(TeamDefinition def) {
        toolboxes(def).forEach(McpToolbox::close);
    }

    /** The team's MCP tool boxes, each once (actions of one role share theirs). */
    private static Stream<McpToolbox> toolboxes(TeamDefinition def) {
        return def.roles().stream().flatMap(r -> r.actions().stream()).flatMap(a -> a.toolProvider().stream())
                .filter(McpToolbox.class::isInstance).map(McpToolbox.class::cast).distinct();
    }
}
