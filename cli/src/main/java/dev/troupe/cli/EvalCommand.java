package dev.troupe.cli;

import dev.troupe.agents.error.ConfigurationException;
import dev.troupe.retrieval.SearchMode;
import dev.troupe.retrieval.eval.FileScores;
import dev.troupe.retrieval.eval.LatencyEval;
import dev.troupe.retrieval.eval.MultiToolSet;
import dev.troupe.retrieval.eval.RetrievalEval;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
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

        @Option(names = "--dev-set", paramLabel = "SET",
                description = "multi-tool: also build the multi-tool development set from the files (two or three of their requests on different tools joined into one) and score it.")
        String devSet;

        @Option(names = "--dev-set-dir", defaultValue = "target/multi-tool", paramLabel = "DIR",
                description = "Where --dev-set writes its files (default ${DEFAULT-VALUE}).")
        Path devSetDir;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            requireFiles(files);
            if (devSet != null && !devSet.equals("multi-tool")) {
                throw new ConfigurationException("Unknown development set '" + devSet + "'; the one there is: --dev-set multi-tool.");
            }
            PrintWriter out = spec.commandLine().getOut();
            score(files, out);
            if (devSet != null) {
                out.println();
                score(MultiToolSet.write(files, devSetDir), out);
            }
            return 0;
        }

        /** One table: a row per file, then the mean of the files. */
        private void score(List<Path> set, PrintWriter out) {
            out.println("| file | mode | NDCG@1 | NDCG@3 | NDCG@5 |");
            out.println("|---|---|---|---|---|");
            List<FileScores> scores = RetrievalEval.run(set, SearchMode.parse(mode));
            for (FileScores s : scores) {
                out.println(s.markdownRow());
            }
            out.printf(Locale.ROOT, "| average of %d | %s | %.1f | %.1f | %.1f |%n", scores.size(), scores.get(0).mode(),
                    scores.stream().mapToDouble(FileScores::ndcg1).average().orElse(0),
                    scores.stream().mapToDouble(FileScores::ndcg3).average().orElse(0),
                    scores.stream().mapToDouble(FileScores::ndcg5).average().orElse(0));
            out.flush();
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
