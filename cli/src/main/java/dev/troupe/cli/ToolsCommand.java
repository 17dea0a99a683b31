package dev.troupe.cli;

import dev.troupe.agents.error.ConfigurationException;
import dev.troupe.mcp.McpToolbox;
import dev.troupe.retrieval.EmbeddingModels;
import dev.troupe.retrieval.SearchMode;
import dev.troupe.retrieval.catalog.CatalogHit;
import dev.troupe.retrieval.catalog.ImportProgress;
import dev.troupe.retrieval.catalog.ImportReport;
import dev.troupe.retrieval.catalog.ImportStatus;
import dev.troupe.retrieval.catalog.ToolCatalog;
import dev.troupe.roles.TeamDefinition;
import dev.troupe.roles.TeamLoader;
import dev.troupe.roles.tools.RoleTools;
import dev.troupe.tools.importer.SkippedSpec;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Imports API specs into a tool catalog and searches it. */
@Command(name = "tools", mixinStandardHelpOptions = true, description = "API tools: import specs into a catalog, search it.",
        subcommands = {ToolsCommand.Import.class, ToolsCommand.Search.class, ToolsCommand.ListTeam.class})
final class ToolsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Import ToolBench JSON, StableToolBench query files, OpenAPI 3 or Swagger 2 specs (files or folders)."
                    + " Unusable specs are reported and skipped. Running it again resumes an interrupted import.")
    static final class Import implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "SPEC", description = "Spec files or folders.")
        List<Path> specs;

        @Option(names = "--catalog", required = true, paramLabel = "DIR", description = "The catalog folder (created or added to).")
        Path catalog;

        @Option(names = "--no-embeddings", description = "BM25 only: no dense vectors (much faster; no dense/hybrid search).")
        boolean noEmbeddings;

        @Option(names = "--model", paramLabel = "ID", description = "Embedding model id (default: bge-small-en-v1.5-q); a catalog keeps the model it was built with.")
        String model;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            for (Path p : specs) {
                if (!Files.exists(p)) {
                    throw new ConfigurationException("Spec path " + p + " does not exist.");
                }
            }
            Optional<EmbeddingModels> embeddings = noEmbeddings ? Optional.empty()
                    : Optional.of(model == null ? EmbeddingModels.DEFAULT : EmbeddingModels.byId(model));
            boolean terminal = System.console() != null;
            ImportProgress progress = new ImportProgress() {
                private long last;

                @Override
                public void skipped(SkippedSpec s) {
                    err.println("skipped " + s);
                    err.flush();
                }

                @Override
                public void status(ImportStatus status) {
                    // On a terminal the line is redrawn in place; in a log, one line every 10 s.
                    long now = System.nanoTime();
                    boolean done = status.filesDone() == status.filesTotal();
                    if (done || now - last > (terminal ? 500_000_000L : 10_000_000_000L)) {
                        last = now;
                        err.print(terminal ? "\r" + status.line() : status.line() + System.lineSeparator());
                        err.flush();
                    }
                }
            };
            ImportReport r = ToolCatalog.importSpecs(specs, catalog, embeddings, progress);
            if (terminal) {
                err.println();
            }
            out.printf("Imported %,d files: %,d tools, %,d functions (%,d indexed, %,d reused), %,d specs skipped, in %s.%n",
                    r.filesRead(), r.tools(), r.functions(), r.indexed(), r.reused(), r.skipped().size(), r.took());
            out.flush();
            return 0;
        }
    }

    @Command(name = "search", mixinStandardHelpOptions = true, description = "Find the functions of a catalog that fit a request.")
    static final class Search implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "QUERY")
        String query;

        @Option(names = "--catalog", required = true, paramLabel = "DIR")
        Path catalog;

        @Option(names = "-k", defaultValue = "5", paramLabel = "K", description = "How many (default ${DEFAULT-VALUE}).")
        int k;

        @Option(names = "--mode", defaultValue = "hybrid", paramLabel = "MODE", description = "bm25, dense, hybrid or rrf (default ${DEFAULT-VALUE}).")
        String mode;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if (!Files.isDirectory(catalog)) {
                throw new ConfigurationException("Catalog folder " + catalog + " does not exist; build one with 'troupe tools import'.");
            }
            SearchMode m = SearchMode.parse(mode);
            PrintWriter out = spec.commandLine().getOut();
            try (ToolCatalog c = ToolCatalog.open(catalog)) {
                for (CatalogHit hit : c.search(query, k, m)) {
                    out.printf("%8.4f  %-50s %s%n", hit.score(), hit.function().name(), oneLine(hit.function().description()));
                }
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Print the functions each role of a team gets (API specs, catalogs and MCP servers, which it starts).")
    static final class ListTeam implements Callable<Integer> {
        @Option(names = "--team", required = true, paramLabel = "TEAM", description = "A team YAML file, or a built-in team name.")
        String team;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            TeamDefinition def = TeamLoader.load(team);
            try {
                list(def, out);
            } finally {
                McpServers.stop(def);   // listing started them
            }
            out.flush();
            return 0;
        }

        private static void list(TeamDefinition def, PrintWriter out) {
            for (var role : def.roles()) {
                role.actions().stream().flatMap(a -> a.toolProvider().stream()).distinct().forEach(provider -> {
                    if (provider instanceof RoleTools api) {
                        out.printf("%s: %d API function(s)%s%n", role.name(), api.functions().size(),
                                api.retrieves() ? ", the top " + api.definition().retrieve() + " retrieved per call" : "");
                        api.functions().all().forEach(f -> out.printf("  %-50s api %s%n", f.name(), f.tool().name()));
                    } else if (provider instanceof McpToolbox mcp) {
                        out.printf("%s: %d MCP tool(s)%s%n", role.name(), mcp.tools().size(),
                                mcp.definition().retrieve() > 0 ? ", the top " + mcp.definition().retrieve() + " retrieved per call" : "");
                        mcp.tools().forEach(t -> out.printf("  %-50s mcp %s  %s%n", t.name(), mcp.serverOf(t.name()).orElse("?"),
                                oneLine(t.specification().description())));
                    }
                });
            }
        }
    }

    static String oneLine(String s) {
        String line = s == null ? "" : s.replace('\n', ' ');
        return line.length() > 80 ? line.substring(0, 80) + "…" : line;
    }
}
