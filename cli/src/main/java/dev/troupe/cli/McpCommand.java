package dev.troupe.cli;

import dev.troupe.mcp.TeamMcpServer;
import dev.troupe.roles.ModelChoice;
import dev.troupe.roles.TeamDefinition;
import dev.troupe.roles.TeamLoader;
import dev.troupe.roles.Teams;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The Model Context Protocol side of the CLI: a team served as an MCP tool. */
@Command(name = "mcp", mixinStandardHelpOptions = true, description = "Serve a team to MCP clients.",
        subcommands = McpCommand.Serve.class)
final class McpCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Serve TEAM as an MCP server on stdin/stdout: one tool named after the team, taking 'idea', "
                    + "answering with the run's status, id and documents. Messages go to stderr.")
    static final class Serve implements Callable<Integer> {
        private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "TEAM", description = "A team YAML file, or a built-in team name.")
        String team;

        @Option(names = "--model", paramLabel = "SPEC", description = "The model spec for every role (default: as 'troupe run' chooses).")
        String model;

        @Option(names = "--workspace", paramLabel = "DIR",
                description = "Where each call's run gets a folder of its own (default: troupe-workspace).")
        Path workspace;

        @Override
        public Integer call() throws InterruptedException {
            TeamDefinition def = TeamLoader.load(team);
            PrintWriter err = spec.commandLine().getErr();
            Teams teams = model == null ? Teams.of(def) : Teams.of(def).model(model);
            // Choose once at start, so a missing model is reported before a client connects.
            ModelChoice choice = RunCommand.chooseModel(teams, err);
            Path root = workspace != null ? workspace : Path.of(Journals.DEFAULT_ROOT);
            AtomicInteger calls = new AtomicInteger();
            String description = (def.description().isBlank() ? "Runs the Troupe team '" + def.name() + "'." : def.description())
                    + " Give the requirement as 'idea'; the result holds the run's status, id and final documents.";
            try (TeamMcpServer server = TeamMcpServer.stdio(def.name(), description, idea -> {
                Path ws = root.resolve(def.name() + "-mcp-" + LocalDateTime.now().format(STAMP) + "-" + calls.incrementAndGet());
                return teams.idea(idea).builder().workspace(ws).build().run(idea);
            }, System.in, System.out)) {
                err.println("troupe: serving team '" + def.name() + "' as the MCP tool '" + def.name() + "' on stdio, model "
                        + choice.spec() + "; close stdin to stop.");
                err.flush();
                server.awaitClose();
            }
            return 0;
        }
    }
}
