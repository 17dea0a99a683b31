package dev.troupe.cli;

import dev.troupe.agents.error.ConfigurationException;
import dev.troupe.tools.eval.FileScores;
import dev.troupe.tools.eval.RetrievalEval;
import dev.troupe.tools.retrieval.SearchMode;
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
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluations.", subcommands = EvalCommand.Retrieval.class)
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
            for (Path f : files) {
                if (!Files.isRegularFile(f)) {
                    throw new ConfigurationException("Query file " + f + " does not exist.");
                }
            }
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
}
