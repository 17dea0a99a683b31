package dev.troupe.cli;

import dev.troupe.agents.error.ConfigurationException;
import dev.troupe.agents.event.ConsoleRenderer;
import dev.troupe.agents.event.JsonlTraceWriter;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.model.Budget;
import dev.troupe.agents.model.ModelBackend;
import dev.troupe.agents.model.ModelResolver;
import dev.troupe.agents.model.Usage;
import dev.troupe.agents.team.RunResult;
import dev.troupe.agents.team.Team;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Runs a team on an idea and shows its progress, documents and cost. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a team on an idea. Exit 0 when the run succeeded, 1 when it failed or ran out of budget, 2 for bad input.")
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TEAM", description = "A built-in team name (see 'troupe roles').")
    String team;

    @Option(names = "--idea", paramLabel = "TEXT", description = "The requirement to work on (default: the team's sample idea).")
    String idea;

    @Option(names = "--idea-file", paramLabel = "FILE", description = "Read the requirement from a file.")
    Path ideaFile;

    @Option(names = "--model", paramLabel = "SPEC",
            description = "openai:<model>, ollama:<model>, scripted:<file>, replay:<file> or dry-run. Default: a live model when"
                    + " OPENAI_API_KEY or OLLAMA_BASE_URL is set, else the team's bundled scripted model.")
    String model;

    @Option(names = "--budget-usd", paramLabel = "N", description = "Stop the run before a model call once N US dollars are spent.")
    Double budgetUsd;

    @Option(names = "--budget-tokens", paramLabel = "N", description = "Stop the run before a model call once N tokens are used.")
    Long budgetTokens;

    @Option(names = "--max-rounds", paramLabel = "N", description = "The most rounds a run may take (default ${DEFAULT-VALUE}).",
            defaultValue = "30")
    int maxRounds;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "Time limit as ISO-8601, e.g. PT10M (default ${DEFAULT-VALUE}).",
            defaultValue = "PT30M")
    Duration timeout;

    @Option(names = "--record", paramLabel = "FILE", description = "Record every model answer to a cassette for --model replay:FILE.")
    Path record;

    @Option(names = "--trace", paramLabel = "FILE", description = "Write every run event as JSON Lines.")
    Path trace;

    @Option(names = {"-q", "--quiet"}, description = "Print only the summary.")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        BuiltinTeams.Builtin builtin = BuiltinTeams.ALL.get(team);
        if (builtin == null) {
            throw new ConfigurationException("Unknown team '" + team + "'. Built-in teams: " + String.join(", ", BuiltinTeams.ALL.keySet())
                    + " (see 'troupe roles').");
        }
        if (idea != null && ideaFile != null) {
            throw new ConfigurationException("Give either --idea or --idea-file, not both.");
        }
        String requirement = ideaFile != null ? readIdea(ideaFile) : Optional.ofNullable(idea).orElse(builtin.defaultIdea());

        Team.Builder builder = builtin.team().get().maxRounds(maxRounds).timeout(timeout);
        builder.model(chooseModel(builtin, requirement, err));
        if (budgetUsd != null || budgetTokens != null) {
            Budget b = Budget.unlimited();
            if (budgetUsd != null) {
                b = b.withUsd(budgetUsd);
            }
            if (budgetTokens != null) {
                b = b.withTokens(budgetTokens);
            }
            builder.budget(b);
        }
        if (record != null) {
            builder.recordTo(record);
        }
        JsonlTraceWriter traceWriter = trace == null ? null : new JsonlTraceWriter(trace);
        if (traceWriter != null) {
            builder.listener(traceWriter);
        }
        if (!quiet) {
            builder.listener(new ConsoleRenderer(System.out, false));
        }
        RunResult result;
        try {
            result = builder.build().run(requirement);
        } finally {
            if (traceWriter != null) {
                traceWriter.close();
            }
        }
        printSummary(result, out);
        return result.succeeded() ? 0 : 1;
    }

    private ModelBackend chooseModel(BuiltinTeams.Builtin builtin, String requirement, PrintWriter err) {
        ModelResolver resolver = ModelResolver.standard();
        if (model != null) {
            return resolver.resolve(model);
        }
        Map<String, String> env = System.getenv();
        if (env.containsKey("OPENAI_API_KEY") || env.containsKey("OPENAI_BASE_URL")) {
            return resolver.resolve("openai:" + env.getOrDefault("TROUPE_OPENAI_MODEL", "gpt-4o-mini"));
        }
        if (env.containsKey("OLLAMA_BASE_URL")) {
            return resolver.resolve("ollama:" + env.getOrDefault("TROUPE_OLLAMA_MODEL", "llama3.1"));
        }
        if (!requirement.equals(builtin.defaultIdea())) {
            throw new ConfigurationException("No model is configured, and the bundled scripted model of '" + builtin.name()
                    + "' only answers its sample idea (\"" + builtin.defaultIdea() + "\"). Set OPENAI_API_KEY (and optionally"
                    + " OPENAI_BASE_URL) or OLLAMA_BASE_URL, or pass --model dry-run to check the team's wiring.");
        }
        err.println("troupe: no model configured (OPENAI_API_KEY, OLLAMA_BASE_URL or --model): using the bundled scripted"
                + " model. Its output is scripted, not generated.");
        err.flush();
        return builtin.scriptedModel().get();
    }

    private static String readIdea(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ConfigurationException("--idea-file " + file + " does not exist or is not a file.");
        }
        String text = Files.readString(file).strip();
        if (text.isEmpty()) {
            throw new ConfigurationException("--idea-file " + file + " is empty.");
        }
        return text;
    }

    private static void printSummary(RunResult r, PrintWriter out) {
        out.println();
        out.println("Run " + r.runId() + " of team " + r.team() + ": " + r.status());
        r.error().ifPresent(e -> out.println("  " + e.replace("\n", "\n  ")));
        out.println();
        out.printf("  %-14s %-18s %6s %10s %10s %10s %8s%n", "role", "action", "calls", "tokens in", "tokens out", "cost USD", "time");
        r.usage().forEach((role, byAction) -> byAction.forEach((action, u) -> out.printf("  %-14s %-18s %6d %,10d %,10d %10.4f %7.1fs%n",
                role, action, u.calls(), u.inputTokens(), u.outputTokens(), u.costUsd(), u.wallTime().toMillis() / 1000.0)));
        Usage t = r.totalUsage();
        out.printf("  %-14s %-18s %6d %,10d %,10d %10.4f %7.1fs%n", "total", "", t.calls(), t.inputTokens(), t.outputTokens(),
                t.costUsd(), r.wallTime().toMillis() / 1000.0);
        out.println();
        out.println("Documents:");
        r.documents().forEach((action, m) -> out.println("  " + action + " by " + m.sender() + ": " + firstLine(m)
                + m.model().map(ConsoleRenderer::label).orElse("")));
        out.flush();
    }

    private static String firstLine(Message m) {
        String s = m.payload().map(p -> p.has("title") ? p.get("title").asText() : p.toString()).orElse(m.content()).strip();
        s = s.lines().findFirst().orElse("");
        return s.length() > 90 ? s.substring(0, 90) + "…" : s;
    }
}
