package dev.troupe.roles.tools;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.Objects;
import java.util.Optional;

/**
 * One MCP server of a role's {@code tools: mcp:} list: a command started on stdio, or the URL of a
 * Streamable HTTP endpoint. Values keep their {@code ${ENV}} references; the client expands them when
 * it starts the server, so a token never sits in a loaded definition.
 *
 * @param name     the server's name in messages and in prefixed tool names
 * @param command  the program and its arguments, for a stdio server; empty for an HTTP one
 * @param url      the Streamable HTTP endpoint; empty for a stdio server
 * @param env      variables added to a stdio server's environment
 * @param headers  headers sent with every HTTP request
 * @param location where the entry is, e.g. {@code team.yaml:12:9}, for errors that come later
 */
public record McpServerDefinition(String name, ImmutableList<String> command, Optional<String> url,
                                  ImmutableMap<String, String> env, ImmutableMap<String, String> headers, String location) {
    public McpServerDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(location, "location");
        command = ImmutableList.copyOf(command);
        env = ImmutableMap.copyOf(env);
        headers = ImmutableMap.copyOf(headers);
        if (command.isEmpty() == url.isEmpty()) {
            throw new IllegalArgumentException("MCP server '" + name + "' needs exactly one of 'command:' (stdio) or 'url:' (Streamable HTTP)");
        }
    }

    /** Whether the server is a process talking MCP on its stdin and stdout. */
    public boolean stdio() {
        return !command.isEmpty();
    }

    /** How the server is reached, for messages: its command line or its URL. */
    public String describe() {
        return stdio() ? String.join(" ", command) : url.orElseThrow();
    }
}
