package dev.troupe.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.agents.error.ConfigurationException;
import dev.troupe.agents.json.internal.Json;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.journal.JdbcJournal;
import dev.troupe.agents.json.internal.Json;
import dev.troupe.core.security.Redactor;
import dev.troupe.memory.journal.ActionEntry;
import dev.troupe.memory.journal.Journaled;
import dev.troupe.memory.journal.JournaledRun;
import dev.troupe.memory.journal.MessageEntry;
import dev.troupe.memory.journal.RunJournal;
import dev.troupe.memory.journal.RunSummary;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Lists and shows journaled runs, and says how to resume the ones that stopped. */
@Command(name = "runs", mixinStandardHelpOptions = true,
        description = "Journaled runs: what each did, how it ended, and how to resume it.",
        subcommands = {RunsCommand.ListRuns.class, RunsCommand.Show.class})
final class RunsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Which journals to read. */
    static final class Where {
        @Option(names = "--workspace", paramLabel = "DIR", description = "The workspace whose .troupe/troupe.db holds the journal."
                + " Default: every workspace under troupe-workspace/.")
        Path workspace;

        @Option(names = "--journal", paramLabel = "JDBC_URL", description = "jdbc:postgresql://HOST/DB or jdbc:sqlite:FILE instead.")
        String url;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every journaled run, newest first.")
    static final class ListRuns implements Callable<Integer> {
        @Mixin
        Where where;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            List<JdbcJournal> journals = Journals.toSearch(where.url, where.workspace);
            List<Row> rows = new ArrayList<>();
            try {
                for (JdbcJournal j : journals) {
                    j.store().list().forEach(r -> rows.add(new Row(r, j.label())));
                }
            } finally {
                journals.forEach(JdbcJournal::close);
            }
            rows.sort(Comparator.comparing((Row r) -> r.run().startedAt()).reversed());
            StringWriter text = new StringWriter();
            PrintWriter out = new PrintWriter(text);
            if (rows.isEmpty()) {
                out.println(journals.isEmpty() ? "No journals under " + Journals.DEFAULT_ROOT + "/; give --workspace DIR or --journal JDBC_URL."
                        : "No journaled runs in " + String.join(", ", journals.stream().map(JdbcJournal::label).toList()) + ".");
            } else {
                out.printf("%-36s  %-18s  %-15s  %7s  %-20s  %5s  %7s  %5s  %s%n", "run", "team", "status", "attempt", "started",
                        "msgs", "actions", "calls", "idea");
                for (Row row : rows) {
                    RunSummary r = row.run();
                    out.printf("%-36s  %-18s  %-15s  %7d  %-20s  %5d  %7d  %5d  %s%n", r.runId(), clip(r.team(), 18), status(r),
                            r.attempts(), r.startedAt().toString().substring(0, 19).replace('T', ' '), r.messages(), r.actions(),
                            r.modelCalls(), clip(firstLine(r.requirement()), 50));
                }
                if (rows.stream().anyMatch(r -> !r.run().status().equals("SUCCEEDED"))) {
                    out.println();
                    out.println("A run that stopped continues with: troupe run TEAM --resume RUN_ID (see 'troupe runs show RUN_ID').");
                }
            }
            out.flush();
            spec.commandLine().getOut().print(Redactor.fromEnvironment().redact(text.toString()));
            spec.commandLine().getOut().flush();
            return 0;
        }

        private record Row(RunSummary run, String journal) {}
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One run: every message and completed action in journal order.")
    static final class Show implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "RUN_ID", description = "The run's id, or enough of its start to be unique.")
        String id;

        @Option(names = "--document", paramLabel = "ACTION",
                description = "Print the whole latest document of ACTION (Markdown as written, JSON indented, files one after another).")
        String document;

        @Mixin
        Where where;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Journals.Found found = Journals.find(Journals.toSearch(where.url, where.workspace), id, where.workspace);
            StringWriter text = new StringWriter();
            PrintWriter out = new PrintWriter(text);
            try (JdbcJournal journal = found.journal()) {
                JournaledRun run = journal.store().load(found.run().runId()).orElseThrow();
                RunSummary r = run.summary();
                if (document != null) {
                    out.println(latestDocument(run, document).text());
                    out.flush();
                    spec.commandLine().getOut().print(Redactor.fromEnvironment().redact(text.toString()));
                    spec.commandLine().getOut().flush();
                    return 0;
                }
                out.println("Run " + r.runId() + " of team " + r.team() + ": " + status(r) + " (attempt " + r.attempts() + ")");
                out.println("  idea:      " + firstLine(r.requirement()));
                out.println("  started:   " + r.startedAt() + r.endedAt().map(e -> "   ended: " + e).orElse(""));
                found.workspace().ifPresent(w -> out.println("  workspace: " + w));
                out.println("  journal:   " + journal.label());
                r.error().ifPresent(e -> out.println("  error:     " + e.replace("\n", "\n             ")));
                out.println("  " + r.messages() + " messages, " + r.actions() + " completed actions, " + r.modelCalls() + " model calls");
                out.println();
                List<Journaled<?>> entries = new ArrayList<>(run.messages());
                entries.addAll(run.actions());
                entries.sort(Comparator.comparingLong(Journaled::seq));
                for (Journaled<?> e : entries) {
                    out.printf("  %4d  attempt %d  %s%n", e.seq(), e.attempt(), describe(e.entry()));
                }
                run.messages().stream().map(m -> m.entry().causeBy()).filter(a -> !a.equals(Message.USER_REQUIREMENT)).reduce((a, b) -> b)
                        .ifPresent(last -> out.println("  A document in full: troupe runs show " + r.runId() + " --document " + last
                                + found.workspace().map(w -> " --workspace " + w).orElse("")));
                if (!r.status().equals("SUCCEEDED")) {
                    out.println();
                    out.println((r.ended() ? "It stopped; continue it with: " : "If no process is running it any more, continue it with: ")
                            + "troupe run " + r.team() + " --resume " + r.runId()
                            + found.workspace().map(w -> " --workspace " + w).orElse(" --journal JDBC_URL"));
                }
            }
            out.flush();
            spec.commandLine().getOut().print(Redactor.fromEnvironment().redact(text.toString()));
            spec.commandLine().getOut().flush();
            return 0;
        }

        /** The document of {@code action} that the run published last, as a reader of the run would see it. */
        private static WorkspaceDocuments.Document latestDocument(JournaledRun run, String action) {
            List<Journaled<MessageEntry>> messages = run.messages().stream()
                    .filter(m -> !m.entry().causeBy().equals(Message.USER_REQUIREMENT)).toList();
            return messages.stream().filter(m -> m.entry().causeBy().equals(action)).max(Comparator.comparingLong(Journaled::seq))
                    .map(m -> WorkspaceDocuments.Document.ofJournaled(parse(m.entry())))
                    .orElseThrow(() -> new ConfigurationException("Run " + run.summary().runId() + " has no document of action '" + action
                            + "'; it has: " + String.join(", ", messages.stream().map(m -> m.entry().causeBy()).distinct().toList())
                            + (messages.isEmpty() ? "(none)" : "") + "."));
        }

        private static JsonNode parse(MessageEntry m) {
            try {
                return Json.MAPPER.readTree(m.json());
            } catch (JsonProcessingException e) {
                throw new ConfigurationException("The journal's message " + m.messageId() + " is not JSON: " + e.getOriginalMessage());
            }
        }

        private static String describe(Object entry) {
            return switch (entry) {
                case MessageEntry m -> "message  " + m.causeBy() + " from " + m.sender() + " (round " + m.round() + "): "
                        + clip(firstLine(content(m)), 80);
                case ActionEntry a -> "action   " + a.role() + "/" + a.action() + " (" + a.modelCalls() + " model call"
                        + (a.modelCalls() == 1 ? "" : "s") + ")";
                default -> entry.toString();
            };
        }

        private static String content(MessageEntry m) {
            try {
                JsonNode json = Json.MAPPER.readTree(m.json());
                return json.hasNonNull("payload") ? json.get("payload").toString() : json.path("content").asText();
            } catch (JsonProcessingException e) {
                return "(unreadable: " + e.getOriginalMessage() + ")";
            }
        }
    }

    /** A run still marked running may be going on in another process, or its process was killed. */
    private static String status(RunSummary r) {
        return r.status().equals(RunJournal.RUNNING) ? "RUNNING/STOPPED" : r.status();
    }

    private static String firstLine(String s) {
        return s.strip().lines().findFirst().orElse("");
    }

    private static String clip(String s, int max) {
        return s.length() > max ? s.substring(0, max - 1) + "…" : s;
    }
}
