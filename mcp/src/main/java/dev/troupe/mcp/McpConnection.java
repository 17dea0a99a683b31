package dev.troupe.mcp;

import com.google.common.collect.ImmutableList;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.exception.ToolArgumentsException;
import dev.langchain4j.exception.ToolExecutionException;
import dev.langchain4j.mcp.client.DefaultMcpClient;
import dev.langchain4j.mcp.client.McpClient;
import dev.langchain4j.mcp.client.transport.McpTransport;
import dev.langchain4j.mcp.client.transport.http.StreamableHttpMcpTransport;
import dev.langchain4j.mcp.client.transport.stdio.StdioMcpTransport;
import dev.langchain4j.service.tool.ToolExecutionResult;
import dev.troupe.agents.error.ConfigurationException;
import dev.troupe.agents.tool.ToolResult;
import dev.troupe.agents.tool.ToolResult.ErrorKind;
import dev.troupe.roles.tools.McpServerDefinition;
import dev.troupe.tools.egress.EgressDeniedException;
import dev.troupe.tools.egress.EgressPolicy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import okhttp3.HttpUrl;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One running MCP server and the client talking to it: its tools as listed at start, and calls that
 * always come back as a {@link ToolResult}, never as an exception. A stdio server that died is started
 * again before the next call, at most {@link McpSettings#restarts()} times.
 */
public final class McpConnection implements AutoCloseable {
    /** The client's answer when a call timed out; a fresh value per connection, so no tool's own text equals it. */
    private final String timeoutMarker = "troupe-mcp-timeout-" + UUID.randomUUID();
    private static final AtomicLong CALL_IDS = new AtomicLong();
    /** JSON-RPC's code for invalid parameters. */
    private static final int INVALID_PARAMS = -32602;

    private final McpServerDefinition definition;
    private final McpSettings settings;
    private final EgressPolicy egress;
    private McpClient client;
    private Optional<Process> process = Optional.empty();
    private ImmutableList<ToolSpecification> tools;
    private int restarts;
    private boolean dead;

    private McpConnection(McpServerDefinition definition, McpSettings settings, EgressPolicy egress) {
        this.definition = definition;
        this.settings = settings;
        this.egress = egress;
    }

    /** Starts the server and lists its tools; an HTTP server must be at a public address. */
    public static McpConnection start(McpServerDefinition definition, McpSettings settings) {
        return start(definition, settings, EgressPolicy.defaults());
    }

    /**
     * Starts the server and lists its tools; an HTTP server's URL is checked against {@code egress}
     * first (loopback and private addresses only when allow-listed).
     *
     * @throws ConfigurationException naming the server when it is refused, does not start or does not answer in time
     */
    public static McpConnection start(McpServerDefinition definition, McpSettings settings, EgressPolicy egress) {
        McpConnection c = new McpConnection(definition, settings, egress);
        c.connect();
        return c;
    }

    public McpServerDefinition definition() {
        return definition;
    }

    /** The server's tools, as it listed them at start. */
    public synchronized ImmutableList<ToolSpecification> tools() {
        return tools;
    }

    /** Calls one of the server's tools with the model's JSON arguments; a failure is an error result with its kind. */
    public synchronized ToolResult call(String tool, String argumentsJson) {
        if (dead) {
            if (restarts >= settings.restarts()) {
                return ToolResult.error(ErrorKind.TRANSPORT_ERROR, "MCP server '" + definition.name() + "' stopped and was restarted "
                        + restarts + " time(s) already; it is not started again in this run");
            }
            restarts++;
            closeQuietly();
            try {
                connect();
            } catch (ConfigurationException e) {
                return ToolResult.error(ErrorKind.TRANSPORT_ERROR, e.getMessage());
            }
        }
        ToolExecutionRequest request = ToolExecutionRequest.builder().id("troupe-" + CALL_IDS.incrementAndGet()).name(tool)
                .arguments(argumentsJson == null || argumentsJson.isBlank() ? "{}" : argumentsJson).build();
        ToolResult result;
        try {
            ToolExecutionResult r = client.executeTool(request);
            String text = r.resultText() == null ? "" : r.resultText();
            if (text.equals(timeoutMarker)) {
                result = ToolResult.error(ErrorKind.TIMEOUT, "MCP server '" + definition.name() + "' did not answer '" + tool
                        + "' within " + settings.callTimeout().toSeconds() + "s");
            } else if (r.isError()) {
                result = ToolResult.error(ErrorKind.TOOL_EXCEPTION, text.isBlank() ? "the tool '" + tool + "' failed without a message" : text);
            } else {
                result = ToolResult.ok(text);
            }
        } catch (ToolArgumentsException e) {
            result = ToolResult.error(ErrorKind.BAD_ARGUMENTS, "the arguments are not a JSON object: " + message(e));
        } catch (ToolExecutionException e) {
            Integer code = e.errorCode();
            if (code == null && !(e.getCause() instanceof java.io.IOException)) {
                // The client reports a result with isError as this exception, carrying the tool's own text.
                result = ToolResult.error(ErrorKind.TOOL_EXCEPTION, message(e));
            } else if (code == null) {
                result = ToolResult.error(ErrorKind.TRANSPORT_ERROR, "MCP server '" + definition.name() + "' failed: " + message(e));
            } else {
                result = ToolResult.error(code == INVALID_PARAMS ? ErrorKind.BAD_ARGUMENTS : ErrorKind.SERVER_ERROR,
                        "MCP server '" + definition.name() + "' answered error " + code + ": " + message(e));
            }
        } catch (RuntimeException e) {
            result = ToolResult.error(ErrorKind.TRANSPORT_ERROR, "MCP server '" + definition.name() + "' failed: " + message(e));
        }
        if (result.failed() && !alive()) {
            dead = true;
            return ToolResult.error(ErrorKind.TRANSPORT_ERROR, "MCP server '" + definition.name() + "' stopped during the call to '" + tool
                    + (restarts < settings.restarts() ? "'; it is started again for the next call" : "'; it is not started again in this run"));
        }
        return result;
    }

    /** Whether the server still answers: its process runs and it answers a ping. */
    private boolean alive() {
        if (process.isPresent() && !process.get().isAlive()) {
            return false;
        }
        try {
            client.checkHealth();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void connect() {
        McpTransport transport;
        if (definition.stdio()) {
            StdioMcpTransport stdio = StdioMcpTransport.builder().command(EnvExpansion.expand(definition.command(), definition))
                    .environment(EnvExpansion.expand(definition.env(), definition)).logEvents(false).build();
            transport = stdio;
        } else {
            String url = EnvExpansion.expand(definition.url().orElseThrow(), definition);
            checkEgress(url);
            transport = StreamableHttpMcpTransport.builder().url(url)
                    .customHeaders(EnvExpansion.expand(definition.headers(), definition)).timeout(settings.callTimeout()).build();
        }
        try {
            client = DefaultMcpClient.builder().key(definition.name()).clientName("troupe").transport(transport)
                    .initializationTimeout(settings.startTimeout()).toolExecutionTimeout(settings.callTimeout())
                    .toolExecutionTimeoutErrorMessage(timeoutMarker).autoHealthCheck(false).build();
            if (transport instanceof StdioMcpTransport stdio) {
                process = Optional.ofNullable(stdio.getProcess());
            }
            tools = ImmutableList.copyOf(client.listTools());
            dead = false;
        } catch (RuntimeException e) {
            if (client == null && transport instanceof StdioMcpTransport stdio) {
                process = Optional.ofNullable(stdio.getProcess());
            }
            closeQuietly();
            throw new ConfigurationException("MCP server '" + definition.name() + "' (" + definition.location() + ") did not start: "
                    + message(e) + "; check that '" + definition.describe() + "' "
                    + (definition.stdio() ? "runs on its own and speaks MCP on stdin/stdout" : "is reachable and speaks MCP (Streamable HTTP)")
                    + " within " + settings.startTimeout().toSeconds() + "s", e);
        }
    }

    /**
     * The egress rules of API tools, applied once at start: the URL and every address its host resolves
     * to. (The transport connects with the JDK's HTTP client, so later connections are not re-checked.)
     */
    private void checkEgress(String url) {
        HttpUrl parsed = HttpUrl.parse(url);
        if (parsed == null) {
            throw new ConfigurationException("MCP server '" + definition.name() + "' (" + definition.location() + "): '" + url
                    + "' is not an http(s) URL");
        }
        try {
            egress.checkUrl(parsed);
            if (!egress.isAllowListed(parsed.host())) {
                egress.checkAddresses(parsed.host(), List.of(InetAddress.getAllByName(parsed.host())));
            }
        } catch (EgressDeniedException e) {
            throw new ConfigurationException("MCP server '" + definition.name() + "' (" + definition.location() + ") is refused: "
                    + e.getMessage() + "; if it is meant to be reached, add '" + parsed.host() + "' to 'allowHosts:' of the role's tools", e);
        } catch (UnknownHostException e) {
            throw new ConfigurationException("MCP server '" + definition.name() + "' (" + definition.location() + "): host '"
                    + parsed.host() + "' is unknown; check 'url:'", e);
        }
    }

    private static String message(Throwable e) {
        Throwable t = e;
        while ((t.getMessage() == null || t.getMessage().isBlank()) && t.getCause() != null) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        while (t.getCause() != null && t.getCause() != t && m.startsWith(t.getCause().getClass().getName())) {
            t = t.getCause();
            m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        }
        return m;
    }

    private void closeQuietly() {
        try {
            if (client != null) {
                client.close();
            }
        } catch (Exception e) {
            // The server is being replaced or stopped; a failure to say goodbye changes nothing.
        }
        client = null;
        // npx and shell wrappers start the real server as a child: stop the whole tree, not just the wrapper.
        process.ifPresent(p -> {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        });
        process = Optional.empty();
    }

    /** Stops the server (and, for stdio, every process it started). */
    @Override
    public synchronized void close() {
        closeQuietly();
    }

    @Override
    public String toString() {
        return "MCP server '" + definition.name() + "' (" + definition.describe() + ")";
    }
}
