package dev.troupe.roles.tools;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.troupe.agents.action.ActionTool;
import dev.troupe.agents.action.ToolProvider;
import dev.troupe.tools.catalog.CatalogHit;
import dev.troupe.tools.catalog.ImportProgress;
import dev.troupe.tools.catalog.ToolCatalog;
import dev.troupe.tools.egress.EgressPolicy;
import dev.troupe.tools.function.ToolFunction;
import dev.troupe.tools.function.ToolFunctions;
import dev.troupe.tools.http.HttpToolExecutor;
import dev.troupe.tools.http.Observation;
import dev.troupe.tools.retrieval.SearchMode;
import dev.troupe.tools.virtual.Fixtures;
import dev.troupe.tools.virtual.VirtualApiServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The tools a role's {@code tools:} key gives its actions: functions made from API specs or a
 * catalog, called over HTTP behind the egress policy (or served offline by the virtual API
 * server), all of them or the top k retrieved for each call's prompt.
 */
public final class RoleTools implements ToolProvider {
    private final ToolFunctions functions;
    private final Optional<ToolCatalog> catalog;
    private final int retrieve;
    private final SearchMode mode;
    private final ImmutableSet<String> names;
    private final ImmutableSet<String> readOnly;
    private final Supplier<HttpToolExecutor> executor;
    private final ToolsDefinition definition;

    RoleTools(ToolsDefinition definition, ToolFunctions functions, Optional<ToolCatalog> catalog, int retrieve, SearchMode mode, Set<String> names,
              Set<String> readOnly, Supplier<HttpToolExecutor> executor) {
        this.functions = functions;
        this.catalog = catalog;
        this.retrieve = retrieve;
        this.mode = mode;
        this.names = ImmutableSet.copyOf(names);
        this.readOnly = ImmutableSet.copyOf(readOnly);
        this.executor = executor;
        this.definition = definition;
    }

    /** Builds the executor once, on first use: the virtual server starts only if a tool is called. */
    static Supplier<HttpToolExecutor> executor(ToolFunctions functions, boolean virtual, List<String> allowHosts, Optional<Path> fixtures) {
        return com.google.common.base.Suppliers.memoize(() -> {
            HttpToolExecutor.Builder b = HttpToolExecutor.builder(functions);
            EgressPolicy.Builder egress = EgressPolicy.builder().allowHosts(allowHosts);
            if (virtual) {
                VirtualApiServer server = VirtualApiServer.start(functions, fixtures.map(Fixtures::load).orElse(Fixtures.none()), 0);
                Runtime.getRuntime().addShutdownHook(new Thread(server::close, "troupe-virtual-api-server"));
                egress.allowHost(server.host());
                b.baseUrls(server.baseUrls());
            }
            return b.egressPolicy(egress.build()).build();
        });
    }

    static Optional<ToolCatalog> temporaryCatalog(List<Path> paths) {
        try {
            Path dir = java.nio.file.Files.createTempDirectory("troupe-catalog-");
            ToolCatalog.importSpecs(paths, dir, Optional.empty(), ImportProgress.none());
            return Optional.of(ToolCatalog.open(dir));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create a temporary tool catalog", e);
        }
    }

    public ToolFunctions functions() {
        return functions;
    }

    /** The {@code tools:} key these tools come from, with its paths resolved. */
    public ToolsDefinition definition() {
        return definition;
    }

    /**
     * The same tools, chosen the same way, with their calls made by {@code executor}: to put a proxy in
     * front of the API, or to call it with other retries, timeouts or listeners. It must know these functions.
     */
    public RoleTools withExecutor(HttpToolExecutor executor) {
        return new RoleTools(definition, functions, catalog, retrieve, mode, names, readOnly, () -> executor);
    }

    @Override
    public List<ActionTool> toolsFor(String prompt) {
        List<ToolFunction> chosen;
        if (retrieve > 0 && catalog.isPresent()) {
            chosen = catalog.get().search(prompt, retrieve, mode).stream().map(CatalogHit::function).toList();
        } else {
            chosen = functions.all();
        }
        return chosen.stream().filter(f -> names.isEmpty() || names.contains(f.name())).map(this::tool)
                .collect(ImmutableList.toImmutableList());
    }

    private ActionTool tool(ToolFunction f) {
        boolean isReadOnly = readOnly.contains(f.name()) || "GET".equalsIgnoreCase(f.endpoint().method());
        return new ActionTool() {
            @Override
            public ToolSpecification specification() {
                return f.specification();
            }

            @Override
            public String execute(String argumentsJson) {
                Observation o = executor.get().execute(f.name(), argumentsJson);
                // Planners read a leading "Error" as a failed step; the kind tells the model what to fix.
                return o.kind().isSuccess() ? o.text() : "Error (" + o.kind().name().toLowerCase() + "): " + o.text();
            }

            @Override
            public boolean readOnly() {
                return isReadOnly;
            }

            @Override
            public String toString() {
                return f.name();
            }
        };
    }
}
