package dev.troupe.roles.tools;

import com.google.common.base.Suppliers;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import com.google.common.io.MoreFiles;
import com.google.common.io.RecursiveDeleteOption;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.troupe.agents.tool.ActionTool;
import dev.troupe.agents.tool.ToolProvider;
import dev.troupe.retrieval.EmbeddingModels;
import dev.troupe.retrieval.SearchMode;
import dev.troupe.retrieval.catalog.CatalogHit;
import dev.troupe.retrieval.catalog.ImportProgress;
import dev.troupe.retrieval.catalog.ToolCatalog;
import dev.troupe.agents.tool.ToolResult;
import dev.troupe.tools.egress.EgressPolicy;
import dev.troupe.tools.function.ToolFunction;
import dev.troupe.tools.function.ToolFunctions;
import dev.troupe.tools.http.HttpToolExecutor;
import dev.troupe.tools.http.Observation;
import dev.troupe.tools.http.ObservationKind;
import dev.troupe.retrieval.EmbeddingModels;
import dev.troupe.retrieval.SearchMode;
import dev.troupe.tools.virtual.Fixtures;
import dev.troupe.tools.virtual.VirtualApiServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The tools a role's {@code tools:} key gives its actions: functions made from API specs or a
 * catalog, called over HTTP behind the egress policy (or served offline by the virtual API
 * server), all of them or the top k retrieved for each call's prompt.
 *
 * <p>Retrieving from spec files needs a catalog built from them; it is built on first use, in the
 * run's workspace when {@link #prepareCatalog} names one (and reopened there by later runs), else in
 * a temporary folder.
 */
public final class RoleTools implements ToolProvider {
    /** How a catalog for retrieval was made ready: built now, or reopened from an earlier build. */
    public record CatalogReady(Path folder, boolean built, int functions, String embedding, Duration took) {}

    private final ToolFunctions functions;
    private final ImmutableList<Path> specs;
    private final int retrieve;
    private final SearchMode mode;
    private final Optional<EmbeddingModels> embedding;
    private final ImmutableSet<String> names;
    private final ImmutableSet<String> readOnly;
    private final Supplier<HttpToolExecutor> executor;
    private final ToolsDefinition definition;
    private volatile ToolCatalog catalog;

    RoleTools(ToolsDefinition definition, ToolFunctions functions, Optional<ToolCatalog> catalog, ImmutableList<Path> specs,
              int retrieve, SearchMode mode, Set<String> names, Set<String> readOnly, Supplier<HttpToolExecutor> executor) {
        this.functions = functions;
        this.catalog = catalog.orElse(null);
        this.specs = specs;
        this.retrieve = retrieve;
        this.mode = mode;
        // A catalog built here gets vectors only when the search mode uses them: BM25 alone builds in seconds.
        this.embedding = mode == SearchMode.BM25 ? Optional.empty() : Optional.of(EmbeddingModels.DEFAULT);
        this.names = ImmutableSet.copyOf(names);
        this.readOnly = ImmutableSet.copyOf(readOnly);
        this.executor = executor;
        this.definition = definition;
    }

    /**
     * Builds the executor once, on first use: the virtual server starts only if a tool is called, and
     * then every call may reach that server and the allow-listed hosts only.
     */
    static Supplier<HttpToolExecutor> executor(ToolFunctions functions, boolean virtual, List<String> allowHosts, Optional<Path> fixtures) {
        return Suppliers.memoize(() -> {
            HttpToolExecutor.Builder b = HttpToolExecutor.builder(functions);
            EgressPolicy.Builder egress = EgressPolicy.builder().allowHosts(allowHosts);
            if (virtual) {
                VirtualApiServer server = VirtualApiServer.start(functions, fixtures.map(Fixtures::load).orElse(Fixtures.none()), 0);
                Runtime.getRuntime().addShutdownHook(new Thread(server::close, "troupe-virtual-api-server"));
                egress.allowHost(server.host()).onlyAllowedHosts(true);
                b.baseUrls(server.baseUrls());
            }
            return b.egressPolicy(egress.build()).build();
        });
    }

    public ToolFunctions functions() {
        return functions;
    }

    /** Whether the role's tools are the top k of a catalog for each prompt, rather than all of its functions. */
    public boolean retrieves() {
        return retrieve > 0;
    }

    /**
     * Makes the retrieval catalog of spec files ready under {@code workspace}: reopens the one an earlier
     * run built from the same files, or builds it now, reporting to {@code progress}. Empty when these
     * tools retrieve nothing or use a catalog folder of their own.
     */
    public synchronized Optional<CatalogReady> prepareCatalog(Path workspace, ImportProgress progress) {
        if (retrieve == 0 || specs.isEmpty()) {
            return Optional.empty();
        }
        Path folder = workspace.resolve(".troupe").resolve("catalogs").resolve(catalogName());
        Instant start = Instant.now();
        boolean built = !ToolCatalog.isCurrent(folder);
        if (built) {
            // The folder is this run's cache of the spec files: one written by another version is rebuilt.
            if (Files.exists(folder)) {
                try {
                    MoreFiles.deleteRecursively(folder, RecursiveDeleteOption.ALLOW_INSECURE);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot remove the outdated catalog " + folder + " (" + e.getMessage() + "); delete it and run again", e);
                }
            }
            ToolCatalog.importSpecs(specs, folder, embedding, progress);
        }
        ToolCatalog opened = ToolCatalog.open(folder);
        replaceCatalog(opened);
        return Optional.of(new CatalogReady(folder, built, opened.size(),
                opened.embeddingModel().map(EmbeddingModels::id).orElse("none (BM25 only)"), Duration.between(start, Instant.now())));
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
        return new RoleTools(definition, functions, Optional.ofNullable(catalog), specs, retrieve, mode, names, readOnly, () -> executor);
    }

    @Override
    public List<ActionTool> toolsFor(String prompt) {
        return choose(prompt).tools();
    }

    @Override
    public Choice choose(String prompt) {
        if (retrieve == 0) {
            List<ActionTool> all = functions.all().stream().filter(this::named).map(this::tool).toList();
            return new Choice(all, "the role's " + all.size() + " function(s)", List.of());
        }
        List<CatalogHit> hits = catalog().search(prompt, retrieve, mode).stream().filter(h -> named(h.function())).toList();
        return new Choice(hits.stream().map(h -> tool(h.function())).toList(),
                mode.name().toLowerCase(Locale.ROOT) + " retrieval, top " + retrieve + " of " + functions.size() + " functions"
                        + (names.isEmpty() ? "" : " (within the " + names.size() + " named)"),
                hits.stream().map(CatalogHit::score).toList());
    }

    private boolean named(ToolFunction f) {
        return names.isEmpty() || names.contains(f.name());
    }

    private ToolCatalog catalog() {
        ToolCatalog c = catalog;
        if (c == null) {
            synchronized (this) {
                if (catalog == null) {
                    try {
                        Path dir = Files.createTempDirectory("troupe-catalog-");
                        ToolCatalog.importSpecs(specs, dir, embedding, ImportProgress.none());
                        catalog = ToolCatalog.open(dir);
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot create a temporary tool catalog", e);
                    }
                }
                c = catalog;
            }
        }
        return c;
    }

    private void replaceCatalog(ToolCatalog opened) {
        ToolCatalog old = catalog;
        catalog = opened;
        if (old != null) {
            old.close();
        }
    }

    /**
     * The specs and the embedding model name the catalog, so changed specs get a new one: a file by its
     * content (a built-in file is a fresh copy on every load), a folder by its files' names, sizes and times.
     */
    private String catalogName() {
        Hasher h = Hashing.sha256().newHasher();
        try {
            for (Path p : specs) {
                if (Files.isRegularFile(p)) {
                    h.putBytes(Files.readAllBytes(p));
                    continue;
                }
                h.putUnencodedChars(p.toAbsolutePath().normalize().toString());
                try (var files = Files.walk(p)) {
                    for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                        h.putUnencodedChars(p.relativize(f).toString()).putLong(Files.size(f))
                                .putLong(Files.getLastModifiedTime(f).toMillis());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the spec files " + specs, e);
        }
        embedding.ifPresent(m -> h.putUnencodedChars(m.id()));
        String first = specs.get(0).getFileName().toString().replaceAll("(\\.json|\\.ya?ml)?(\\.gz)?$", "");
        return first + "-" + h.hash().toString().substring(0, 12);
    }

    private ActionTool tool(ToolFunction f) {
        boolean isReadOnly = readOnly.contains(f.name()) || "GET".equalsIgnoreCase(f.endpoint().method());
        return new ActionTool() {
            @Override
            public ToolSpecification specification() {
                return f.specification();
            }

            @Override
            public ToolResult execute(String argumentsJson) {
                Observation o = executor.get().execute(f.name(), argumentsJson);
                return errorKind(o.kind()).map(kind -> ToolResult.error(kind, o.text())).orElseGet(() -> ToolResult.ok(o.text()));
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

    /** The planners' kind of failure for the executor's; empty for a success. */
    private static Optional<ToolResult.ErrorKind> errorKind(ObservationKind kind) {
        return Optional.ofNullable(switch (kind) {
            case OK -> null;
            case UNKNOWN_FUNCTION -> ToolResult.ErrorKind.UNKNOWN_FUNCTION;
            case BAD_ARGUMENTS -> ToolResult.ErrorKind.BAD_ARGUMENTS;
            case CLIENT_ERROR -> ToolResult.ErrorKind.CLIENT_ERROR;
            case RATE_LIMITED -> ToolResult.ErrorKind.RATE_LIMITED;
            case SERVER_ERROR -> ToolResult.ErrorKind.SERVER_ERROR;
            case MALFORMED_RESPONSE -> ToolResult.ErrorKind.MALFORMED_RESPONSE;
            case TIMEOUT -> ToolResult.ErrorKind.TIMEOUT;
            case TRANSPORT_ERROR -> ToolResult.ErrorKind.TRANSPORT_ERROR;
            case BLOCKED -> ToolResult.ErrorKind.BLOCKED;
            case NOT_CONFIGURED -> ToolResult.ErrorKind.NOT_CONFIGURED;
        });
    }
}
