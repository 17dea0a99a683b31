package dev.troupe.mcp;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.mcp.client.McpToolMetadataKeys;
import dev.troupe.agents.error.ConfigurationException;
import dev.troupe.agents.tool.ActionTool;
import dev.troupe.agents.tool.ToolProvider;
import dev.troupe.agents.tool.ToolResult;
import dev.troupe.retrieval.SearchHit;
import dev.troupe.retrieval.SearchMode;
import dev.troupe.retrieval.ToolIndex;
import dev.troupe.retrieval.ToolRetriever;
import dev.troupe.roles.tools.McpServerDefinition;
import dev.troupe.roles.tools.McpToolsDefinition;
import dev.troupe.tools.egress.EgressPolicy;
import dev.troupe.tools.function.ToolFunction;
import dev.troupe.tools.spec.ApiSpec;
import dev.troupe.tools.spec.Endpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * The tools of a role's MCP servers: all of them, or the top k of all servers retrieved (BM25 over
 * the tools' names and descriptions) for each call's prompt. The servers start on first use and
 * stop on {@link #close()} or when the JVM exits.
 *
 * <p>A tool keeps the name its server gives it. When two servers offer the same name, both tools are
 * renamed {@code <server>_<tool>} (e.g. {@code files_read_file}) and a warning names them; the
 * allow-list and {@code readOnly:} may use either the plain or the prefixed name.
 */
public final class McpToolbox implements ToolProvider, AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(McpToolbox.class);

    /** One server as it started: how many tools it gave and how long it took. */
    public record Started(String server, int tools, Duration took) {}

    private final McpToolsDefinition definition;
    private final McpSettings settings;
    private volatile State state;

    private record State(ImmutableList<McpConnection> connections, ImmutableList<ActionTool> tools, ImmutableList<Started> started,
                         Optional<ToolRetriever> retriever, Map<String, ActionTool> byName) {}

    public McpToolbox(McpToolsDefinition definition, McpSettings settings) {
        this.definition = definition;
        this.settings = settings;
    }

    public McpToolsDefinition definition() {
        return definition;
    }

    /**
     * Starts the servers now (if they are not running yet) and says how each one started.
     *
     * @throws ConfigurationException naming the server that did not start, or a name of {@code names:} no server has
     */
    public ImmutableList<Started> start() {
        return state().started();
    }

    /** Every tool of the servers the role may call, after the allow-list. */
    public ImmutableList<ActionTool> tools() {
        return state().tools();
    }

    /** The server of one of {@link #tools()}, by the tool's name as the role sees it. */
    public Optional<String> serverOf(String toolName) {
        return Optional.ofNullable(state().byName().get(toolName)).map(t -> ((McpTool) t).server());
    }

    @Override
    public List<ActionTool> toolsFor(String prompt) {
        return choose(prompt).tools();
    }

    @Override
    public Choice choose(String prompt) {
        State s = state();
        if (definition.retrieve() == 0 || s.retriever().isEmpty()) {
            return new Choice(s.tools(), "the role's " + s.tools().size() + " MCP tool(s)", List.of());
        }
        List<SearchHit> hits = s.retriever().get().search(prompt, definition.retrieve(), SearchMode.BM25);
        return new Choice(hits.stream().map(h -> s.byName().get(h.functionName())).toList(),
                "bm25 retrieval, top " + definition.retrieve() + " of " + s.tools().size() + " MCP tools",
                hits.stream().map(SearchHit::score).toList());
    }

    private State state() {
        State s = state;
        if (s == null) {
            synchronized (this) {
                if (state == null) {
                    state = startAll();
                    Runtime.getRuntime().addShutdownHook(new Thread(this::close, "troupe-mcp-servers"));
                }
                s = state;
            }
        }
        return s;
    }

    private State startAll() {
        EgressPolicy egress = EgressPolicy.builder().allowHosts(definition.allowHosts()).build();
        List<McpConnection> connections = new ArrayList<>();
        List<Started> started = new ArrayList<>();
        try {
            for (McpServerDefinition server : definition.servers()) {
                Instant t0 = Instant.now();
                McpConnection c = McpConnection.start(server, settings, egress);
                connections.add(c);
                started.add(new Started(server.name(), c.tools().size(), Duration.between(t0, Instant.now())));
            }
            Map<String, Integer> counts = new HashMap<>();
            connections.forEach(c -> c.tools().forEach(t -> counts.merge(t.name(), 1, Integer::sum)));
            Set<String> allowed = ImmutableSet.copyOf(definition.names());
            Set<String> readOnly = ImmutableSet.copyOf(definition.readOnly());
            Map<String, ActionTool> byName = new LinkedHashMap<>();
            Set<String> known = new java.util.HashSet<>();
            for (McpConnection c : connections) {
                for (ToolSpecification spec : c.tools()) {
                    boolean clash = counts.get(spec.name()) > 1;
                    String name = clash ? c.definition().name() + "_" + spec.name() : spec.name();
                    if (clash) {
                        LOG.warn("MCP tool '{}' is offered by more than one server; the one of '{}' is called '{}'", spec.name(),
                                c.definition().name(), name);
                    }
                    known.add(name);
                    known.add(spec.name());
                    if (!allowed.isEmpty() && !allowed.contains(name) && !allowed.contains(spec.name())) {
                        continue;
                    }
                    byName.put(name, new McpTool(c, spec, name, readOnly.contains(name) || readOnly.contains(spec.name())
                            || Boolean.TRUE.equals(spec.metadata().get(McpToolMetadataKeys.READ_ONLY_HINT))));
                }
            }
            List<String> missing = definition.names().stream().filter(n -> !known.contains(n)).toList();
            if (!missing.isEmpty()) {
                throw new ConfigurationException("'names:' lists " + missing + ", which no MCP server of "
                        + definition.servers().get(0).location() + " offers; its tools are "
                        + byNameList(connections) + "; fix the names or remove them");
            }
            ImmutableList<ActionTool> tools = ImmutableList.copyOf(byName.values());
            Optional<ToolRetriever> retriever = definition.retrieve() > 0 && !tools.isEmpty() ? Optional.of(index(tools)) : Optional.empty();
            return new State(ImmutableList.copyOf(connections), tools, ImmutableList.copyOf(started), retriever, Map.copyOf(byName));
        } catch (RuntimeException e) {
            connections.forEach(McpConnection::close);
            throw e;
        }
    }

    private static List<String> byNameList(List<McpConnection> connections) {
        return connections.stream().flatMap(c -> c.tools().stream().map(ToolSpecification::name)).sorted().toList();
    }

    /**
     * Indexes the tools the way a catalog indexes API functions, so the same BM25 ranking applies: the
     * server is the "tool", the MCP tool an endpoint with its description.
     */
    private static ToolRetriever index(List<ActionTool> tools) {
        List<ToolFunction> functions = new ArrayList<>();
        for (ActionTool t : tools) {
            McpTool m = (McpTool) t;
            Endpoint endpoint = Endpoint.builder(m.name()).method("POST").path("/" + m.name())
                    .description(Optional.ofNullable(m.specification().description()).orElse("")).build();
            ApiSpec server = ApiSpec.builder(m.server()).description("MCP server " + m.server()).category("mcp").endpoint(endpoint).build();
            functions.add(ToolFunction.of(m.name(), m.server(), server, endpoint));
        }
        try {
            ByteBuffersDirectory directory = new ByteBuffersDirectory();
            ToolIndex.sync(directory, functions, Optional.empty(), (done, total) -> {});
            return ToolRetriever.open(directory, Optional.empty());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot index the MCP tools in memory", e);
        }
    }

    /** Stops every server that was started. */
    @Override
    public synchronized void close() {
        State s = state;
        if (s != null) {
            s.connections().forEach(McpConnection::close);
            s.retriever().ifPresent(r -> {
                try {
                    r.close();
                } catch (IOException e) {
                    LOG.debug("closing the in-memory index of MCP tools failed", e);
                }
            });
        }
    }

    /** One MCP tool as an action's function. */
    private static final class McpTool implements ActionTool {
        private final McpConnection connection;
        private final ToolSpecification specification;
        private final boolean readOnly;
        /** The name the server knows the tool by, which differs from the specification's when it is prefixed. */
        private final String serverName;

        McpTool(McpConnection connection, ToolSpecification serverSpec, String name, boolean readOnly) {
            this.connection = connection;
            this.specification = name.equals(serverSpec.name()) ? serverSpec : serverSpec.toBuilder().name(name).build();
            this.readOnly = readOnly;
            this.serverName = serverSpec.name();
        }

        String server() {
            return connection.definition().name();
        }

        @Override
        public ToolSpecification specification() {
            return specification;
        }

        @Override
        public ToolResult execute(String argumentsJson) {
            return connection.call(serverName, argumentsJson);
        }

        @Override
        public boolean readOnly() {
            return readOnly;
        }

        @Override
        public String toString() {
            return specification.name() + " (MCP server '" + server() + "')";
        }
    }
}
