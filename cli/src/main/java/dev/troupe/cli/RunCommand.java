package dev.troupe.cli;

import dev.troupe.agents.command.Sandbox;
import dev.troupe.agents.error.ConfigurationException;
import dev.troupe.agents.event.ConsoleRenderer;
import dev.troupe.agents.event.JsonlTraceWriter;
import dev.troupe.agents.journal.JdbcJournal;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.model.Budget;
import dev.troupe.agents.model.Usage;
import dev.troupe.agents.team.RunResult;
import dev.troupe.agents.team.Team;
import dev.troupe.core.security.Redactor;
import dev.troupe.memory.reflection.store.JdbcReflectionStore;
import dev.troupe.roles.ModelChoice;
import dev.troupe.roles.TeamDefinition;
import dev.troupe.roles.TeamLoader;
import dev.troupe.roles.Teams;
import dev.troupe.roles.tools.RoleTools;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin
    JournalOptions journal;

    @Parameters(index = "0", paramLabel = "TEAM", description = "A team YAML file, or a built-in team name (see 'troupe roles').")
    String team;

    @Option(names = "--idea", paramLabel = "TEXT", description = "The requirement to work on (default: the team's sample idea).")
    String idea;

    @Option(names = "--idea-file", paramLabel = "FILE", description = "Read the requirement from a file.")
    Path ideaFile;

    @Option(names = "--model", paramLabel = "SPEC",
            description = "openai:<model>, ollama:<model>, scripted:<file>, replay:<file> or dry-run. Default: the team's model:,"
                    + " else a live model when OPENAI_API_KEY, OPENAI_BASE_URL or OLLAMA_BASE_URL is set, else the team's offlineModel:.")
    String model;

    @Option(names = "--budget-usd", paramLabel = "N", description = "Stop the run before a model call once N US dollars are spent.")
    Double budgetUsd;

    @Option(names = "--budget-tokens", paramLabel = "N", description = "Stop the run before a model call once N tokens are used.")
    Long budgetTokens;

    @Option(names = "--max-rounds", paramLabel = "N", description = "The most rounds a run may take (default: the team's, else 30).")
    Integer maxRounds;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "Time limit as ISO-8601, e.g. PT10M (default: the team's, else PT30M).")
    Duration timeout;

    @Option(names = "--workspace", paramLabel = "DIR",
            description = "Where actions write files and run commands (default: troupe-workspace/<team>-<time>).")
    Path workspace;

    @Option(names = "--record", paramLabel = "FILE", description = "Record every model answer to a cassette for --model replay:FILE.")
    Path record;

    @Option(names = "--trace", paramLabel = "FILE", description = "Write every run event as JSON Lines.")
    Path trace;

    @Option(names = "--report", paramLabel = "FILE", description = "Write a self-contained HTML report of the run.")
    Path report;

    @Option(names = {"-q", "--quiet"}, description = "Print only the summary.")
    boolean quiet;

    @Mixin
    MemoryCommand.StoreOptions memory;

    @Option(names = "--no-sandbox", description = "Run the team's commands unconfined, with your own rights (as 'sandbox: none'"
            + " in the team's YAML); by default they run in a bubblewrap sandbox, and refuse to run where bwrap is not installed.")
    boolean noSandbox;

    @Option(names = "--bus", paramLabel = "URL", description = "Run on role workers over NATS JetStream, e.g. nats://127.0.0.1:4222:"
            + " this process publishes the idea and follows the run; start the roles with 'troupe worker TEAM --role NAME'.")
    String bus;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TeamDefinition def = loadTeam(team, noSandbox, err);
        Optional<JournalOptions.Resume> resumed = journal.resumeTarget(workspace, idea != null || ideaFile != null);
        if (idea != null && ideaFile != null) {
            throw new ConfigurationException("Give either --idea or --idea-file, not both.");
        }
        String requirement = resumed.isPresent() ? resumed.get().requirement()
                : ideaFile != null ? readIdea(ideaFile) : idea != null ? idea : def.idea().orElseThrow(() ->
                new ConfigurationException("Team '" + def.name() + "' has no sample idea; give one with --idea TEXT or --idea-file FILE."));
        if (requirement.isBlank()) {
            throw new ConfigurationException("The idea is empty; give one with --idea TEXT or --idea-file FILE.");
        }

        Path ws = workspace != null ? workspace : resumed.flatMap(JournalOptions.Resume::workspace).orElseGet(() -> Path.of(Journals.DEFAULT_ROOT,
                def.name() + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));
        // Held to the end of the run, so no other run in this workspace overwrites its files or its journal meanwhile.
        try (WorkspaceLock held = WorkspaceLock.take(ws, def.name())) {
            return run(def, resumed, requirement, ws, out, err);
        }
    }

    private int run(TeamDefinition def, Optional<JournalOptions.Resume> resumed, String requirement, Path ws, PrintWriter out,
                    PrintWriter err) throws IOException {
        // Retrieval indexes outlive a run: in its own workspace when one is named, else shared by the default workspaces.
        Path catalogs = workspace != null || resumed.isPresent() ? ws : Path.of(Journals.DEFAULT_ROOT);
        Teams teams = (model == null ? Teams.of(def) : Teams.of(def).model(model)).idea(requirement);
        ModelChoice choice;
        try {
            choice = chooseModel(teams, err);
        } catch (ConfigurationException e) {
            if (model == null && def.idea().isPresent() && !requirement.equals(def.idea().get())
                    && def.tools().stream().anyMatch(RoleTools::retrieves)) {
                RetrievalCatalogs.preview(def, requirement, catalogs, out);   // retrieval needs no model: show what it finds
            }
            throw e;
        }
        if (bus == null) {
            RetrievalCatalogs.prepare(def, catalogs, out, quiet);
            try {
                McpServers.start(def, out, quiet);
            } catch (RuntimeException e) {
                McpServers.stop(def);   // the servers that did start
                throw e;
            }
        }
        Team.Builder builder = def.toBuilder(choice.backend(), teams.resolver());
        if (maxRounds != null) {
            builder.maxRounds(maxRounds);
        }
        if (timeout != null) {
            builder.timeout(timeout);
        }
        if (budgetUsd != null || budgetTokens != null) {
            Budget b = def.budget().orElse(Budget.unlimited());
            if (budgetUsd != null) {
                b = b.withUsd(budgetUsd);
            }
            if (budgetTokens != null) {
                b = b.withTokens(budgetTokens);
            }
            builder.budget(b);
        }
        builder.workspace(ws);
        if (record != null) {
            builder.recordTo(record);
        }
        StepTimeline timeline = new StepTimeline();
        builder.listener(timeline);
        TrialTable trials = new TrialTable();
        builder.listener(trials);
        // Lessons outlive a run's own workspace, so the next run of the same task finds them.
        boolean reflective = def.roles().stream().flatMap(r -> r.actions().stream()).anyMatch(a -> a.reflection().isPresent());
        JdbcReflectionStore lessons = reflective ? memory.open() : null;
        if (lessons != null) {
            builder.reflectionStore(lessons);
        }
        JsonlTraceWriter traceWriter = trace == null ? null : new JsonlTraceWriter(trace);
        if (traceWriter != null) {
            builder.listener(traceWriter);
        }
        if (!quiet) {
            builder.listener(new ConsoleRenderer(System.out, false));
        }
        Optional<JdbcJournal> journaled = journal.attach(builder, resumed, ws, team, err, quiet, bus, runOptions());
        Team built = builder.build();
        RunResult result;
        try {
            result = bus == null ? resumed.isPresent() ? built.resume(resumed.get().runId()) : built.run(requirement)
                    : BusRun.run(this, built, requirement, resumed.map(JournalOptions.Resume::runId));
        } finally {
            McpServers.stop(def);
            journaled.ifPresent(JdbcJournal::close);
            if (traceWriter != null) {
                traceWriter.close();
            }
        }
        // A team that writes no files gets no workspace from the run; its documents still go where the CLI said they would.
        Path docsIn = result.workspace().orElse(ws);
        WorkspaceDocuments.write(result, docsIn, WorkspaceDocuments.fileActions(built.roles()));
        printSummary(result, out);
        out.println("Whole documents: " + docsIn.resolve("docs").toAbsolutePath());
        trials.print(out);
        if (lessons != null) {
            lessons.close();
        }
        if (report != null) {
            HtmlReport.write(report, new HtmlReport.Header(def.description(), choice.spec(), built.budget(), timeline.startedAt(),
                    TroupeCli.Version.troupe()), new SopDiagram(built.roles()), result, timeline.steps(), trials);
            out.println("Report: " + report.toAbsolutePath());
        }
        out.flush();
        return result.succeeded() ? 0 : 1;
    }

    /**
     * Loads {@code ref}, its commands unconfined with {@code noSandbox}; says so on {@code err} whenever any
     * command of the team runs without the sandbox, since such a command can read the user's files and keys.
     */
    static TeamDefinition loadTeam(String ref, boolean noSandbox, PrintWriter err) {
        TeamDefinition def = noSandbox ? TeamLoader.load(ref).withSandbox(Sandbox.NONE) : TeamLoader.load(ref);
        if (def.unsandboxed()) {
            err.println("troupe: warning: team '" + def.name() + "' runs its commands without a sandbox (" + (noSandbox ? "--no-sandbox"
                    : "sandbox: none") + "): they can read and write whatever you can, and reach the network.");
            err.flush();
        }
        return def;
    }

    /** The options that shape the run (its model and limits), as they are typed, for the command that resumes it. */
    private String runOptions() {
        StringBuilder b = new StringBuilder();
        option(b, "--model", model);
        option(b, "--max-rounds", maxRounds);
        option(b, "--timeout", timeout);
        option(b, "--budget-usd", budgetUsd);
        option(b, "--budget-tokens", budgetTokens);
        return b.toString();
    }

    private static void option(StringBuilder b, String name, Object value) {
        if (value != null) {
            String v = value.toString();
            b.append(' ').append(name).append(' ').append(v.matches("[\\w.:/@%+=,-]+") ? v : "'" + v.replace("'", "'\\''") + "'");
        }
    }

    /** The model {@link Teams} chooses; says so on {@code err} when it falls back to the team's scripted offline model. */
    static ModelChoice chooseModel(Teams teams, PrintWriter err) {
        ModelChoice choice = teams.chooseModel();
        if (choice.origin() == ModelChoice.Origin.OFFLINE) {
            err.println("troupe: no model configured (OPENAI_API_KEY, OLLAMA_BASE_URL or --model): using the team's offline model "
                    + choice.spec() + ". Its output is scripted, not generated.");
            err.flush();
        }
        return choice;
    }

    private static String readIdea(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ConfigurationException("--idea-file " + file + " does not exist or is not a file.");
        }
        return Files.readString(file).strip();
    }

    private static void printSummary(RunResult r, PrintWriter rawOut) {
        java.io.StringWriter text = new java.io.StringWriter();
        PrintWriter out = new PrintWriter(text);
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
        r.workspace().ifPresent(w -> out.println("Workspace: " + w.toAbsolutePath()));
        out.flush();
        rawOut.print(Redactor.fromEnvironment().redact(text.toString()));
    }

    private static String firstLine(Message m) {
        String s = m.payload().map(p -> p.has("title") ? p.get("title").asText()
                : p.has("passed") ? (p.get("passed").asBoolean() ? "passed" : "failed (exit " + p.path("exitCode").asInt() + ")")
                : p.path("files").isArray() ? p.get("files").size() + " file(s): " + String.join(", ", p.get("files").findValuesAsText("path"))
                : p.toString()).orElse(m.content()).strip();
        s = s.lines().findFirst().orElse("");
        return s.length() > 90 ? s.substring(0, 90) + "…" : s;
    }
}
