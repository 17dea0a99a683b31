package dev.troupe.cli;

import dev.troupe.agents.error.ConfigurationException;
import dev.troupe.retrieval.SearchMode;
import dev.troupe.retrieval.eval.FileScores;
import dev.troupe.retrieval.eval.LatencyEval;
import dev.troupe.retrieval.eval.RetrievalEval;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Scores tool retrieval on StableToolBench query files, as ToolLLM's Table 2 does. */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluations.", subcommands = {EvalCommand.Retrieval.class, EvalCommand.Latency.class})
final class EvalCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "retrieval", mixinStandardHelpOptions = true,
            description = "NDCG@1, @3 and @5 per file: the corpus is the union of the file's api_list entries, the labels its relevant APIs.")
    static final class Retrieval implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "QUERIES_JSON")
        List<Path> files;

        @Option(names = "--mode", defaultValue = "hybrid", paramLabel = "MODE", description = "bm25, dense, hybrid or rrf (default ${DEFAULT-VALUE}).")
        String mode;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            requireFiles(files);
            PrintWriter out = spec.commandLine().getOut();
            out.println("| file | mode | NDCG@1 | NDCG@3 | NDCG@5 |");
            out.println("|---|---|---|---|---|");
            for (FileScores s : RetrievalEval.run(files, SearchMode.parse(mode))) {
                out.println(s.markdownRow());
                out.flush();
            }
            return 0;
        }
    }

    @Command(name = "latency", mixinStandardHelpOptions = true,
            description = "Times a catalog: open, first query, and p50/p90/p99 per mode over the 'query' texts of StableToolBench files.")
    static final class Latency implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "QUERIES_JSON", description = "Files whose 'query' texts are the fixed query set.")
        List<Path> files;

        @Option(names = "--catalog", required = true, paramLabel = "DIR")
        Path catalog;

        @Option(names = "--modes", defaultValue = "bm25,hybrid", split = ",", paramLabel = "MODE",
                description = "Comma-separated modes to time (default ${DEFAULT-VALUE}).")
        List<String> modes;

        @Option(names = "-k", defaultValue = "5", paramLabel = "K", description = "Hits per query (default ${DEFAULT-VALUE}).")
        int k;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            requireFiles(files);
            if (!Files.isDirectory(catalog)) {
                throw new ConfigurationException("Catalog folder " + catalog + " does not exist; build one with 'troupe tools import'.");
            }
            List<SearchMode> parsed = modes.stream().map(SearchMode::parse).toList();
            LatencyEval.Report r = LatencyEval.run(catalog, LatencyEval.queries(files), parsed, k);
            PrintWriter out = spec.commandLine().getOut();
            out.printf(java.util.Locale.ROOT, "catalog %s: %,d functions, %,.0f MB on disk; opened in %.0f ms, first query (%s) %.0f ms%n",
                    catalog, r.functions(), r.indexBytes() / 1e6, r.openMillis(), modes.get(0), r.firstQueryMillis());
            out.println("| mode | queries | p50 ms | p90 ms | p99 ms | max ms |");
            out.println("|---|---|---|---|---|---|");
            r.modes().forEach(m -> out.println(m.markdownRow()));
            out.flush();
            return 0;
        }
    }

    private static void requireFiles(List<Path> files) {
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw new ConfigurationException("Query file " + f + " does not exist.");
            }
        }
    }
}
