package dev.troupe.cli;

import dev.troupe.agents.error.ConfigurationException;
import dev.troupe.memory.jdbc.Database;
import dev.troupe.memory.reflection.Reflection;
import dev.troupe.memory.reflection.Step;
import dev.troupe.memory.reflection.TaskKey;
import dev.troupe.memory.reflection.TaskMemory;
import dev.troupe.memory.reflection.Trial;
import dev.troupe.memory.reflection.TrialOutcome;
import dev.troupe.memory.reflection.store.JdbcReflectionStore;
import dev.troupe.memory.reflection.store.TaskSummary;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.stream.Collectors;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Lists, shows and clears the lessons that reflective actions keep per task. */
@Command(name = "memory", mixinStandardHelpOptions = true,
        description = "The reflection memory: lessons kept per task across runs.",
        subcommands = {MemoryCommand.ListTasks.class, MemoryCommand.Show.class, MemoryCommand.Clear.class})
final class MemoryCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The lessons every run shares by default: one SQLite file beside the runs' workspaces. */
    static final Path DEFAULT_STORE = Path.of("troupe-workspace", "memory.db");

    /** Where the lessons are: the shared default file, or a JDBC URL (SQLite or PostgreSQL). */
    static final class StoreOptions {
        @Option(names = "--memory", paramLabel = "JDBC_URL",
                description = "Where reflection lessons are kept: jdbc:sqlite:FILE or jdbc:postgresql://HOST/DB"
                        + " (default: troupe-workspace/memory.db).")
        String url;

        JdbcReflectionStore open() {
            if (url != null) {
                return JdbcReflectionStore.open(Database.forUrl(url));
            }
            try {
                Files.createDirectories(DEFAULT_STORE.getParent());
            } catch (java.io.IOException e) {
                throw new ConfigurationException("Cannot create " + DEFAULT_STORE.getParent() + ": " + e.getMessage());
            }
            return JdbcReflectionStore.open(Database.sqlite(DEFAULT_STORE));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every task with stored lessons.")
    static final class ListTasks implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (JdbcReflectionStore s = store.open()) {
                var tasks = s.list();
                if (tasks.isEmpty()) {
                    out.println("No stored tasks.");
                }
                for (TaskSummary t : tasks) {
                    out.printf("%-60s trials %3d  lessons %2d  last %-22s  updated %s%n", t.key().value(), t.trialsRecorded(), t.lessons(),
                            t.lastOutcome().map(MemoryCommand::outcome).orElse("-"), WHEN.format(t.updatedAt()));
                }
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "A task's lessons and trials.")
    static final class Show implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Parameters(paramLabel = "KEY", description = "The task key (see 'troupe memory list').")
        String key;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (JdbcReflectionStore s = store.open()) {
                TaskMemory m = s.load(TaskKey.of(key)).orElseThrow(() ->
                        new ConfigurationException("No stored task '" + key + "'; 'troupe memory list' shows the keys."));
                out.println("Task " + m.key().value() + " (max " + m.maxTrials() + " trials a run, " + m.trialsRecorded() + " recorded)");
                // Steps are numbered from 1, as in prompts, traces and the console; the store keeps them from 0.
                out.println("Lessons:");
                for (Reflection r : m.lessons()) {
                    out.println("  step " + (r.stepIndex() + 1) + ": " + r.lesson() + " → " + oneLine(r.correctedAction().toString())
                            + (r.enforce() ? " (forced)" : "") + ", from trial " + r.fromTrial()
                            + m.correctionAt(r.stepIndex()).filter(c -> !c.disabledActions().isEmpty())
                                    .map(c -> "; disabled there: " + c.disabledActions().stream().map(a -> oneLine(a.toString()))
                                            .collect(Collectors.joining("; "))).orElse(""));
                }
                for (Trial t : m.trials()) {
                    out.println("Trial " + t.number() + " (run " + t.runId() + "): " + switch (t.outcome()) {
                        case TrialOutcome.Success ok -> "passed";
                        case TrialOutcome.Failure f -> outcome(f) + (f.detail().isBlank() ? "" : ": " + oneLine(f.detail()));
                    });
                    for (Step st : t.steps()) {
                        out.println("  " + (st.index() + 1) + ". " + st.action() + " [" + st.status() + (st.replayed() ? ", replayed" : "") + "] → "
                                + oneLine(st.observation()));
                    }
                }
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "clear", mixinStandardHelpOptions = true, description = "Forget a task's lessons and trials.")
    static final class Clear implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Parameters(paramLabel = "KEY", description = "The task key.")
        String key;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (JdbcReflectionStore s = store.open()) {
                boolean removed = s.clear(TaskKey.of(key));
                spec.commandLine().getOut().println(removed ? "Cleared " + key + "." : "No stored task '" + key + "'.");
            }
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    /** "passed", or "failed, REASON" (the reason as the store names it, so it can be searched for). */
    private static String outcome(TrialOutcome o) {
        return switch (o) {
            case TrialOutcome.Success ok -> "passed";
            case TrialOutcome.Failure f -> "failed, " + f.reason();
        };
    }

    private static String oneLine(String s) {
        String line = s.replace('\n', ' ');
        return line.length() > 100 ? line.substring(0, 100) + "…" : line;
    }
}
