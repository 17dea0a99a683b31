package dev.troupe.cli;

import dev.troupe.agents.error.TroupeException;
import dev.troupe.core.security.Redactor;
import dev.troupe.tools.error.ToolsException;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The {@code troupe} command: run, validate and inspect teams. */
@Command(name = "troupe",
        mixinStandardHelpOptions = true,
        versionProvider = TroupeCli.Version.class,
        description = "Multi-agent teams with SOPs on a shared message bus.",
        subcommands = {RunCommand.class, ValidateCommand.class, TeamsCommand.class, MemoryCommand.class, ToolsCommand.class, EvalCommand.class, WorkerCommand.class, McpCommand.class,
        RunsCommand.class})
public final class TroupeCli implements Runnable {

    /** Exit code for bad input (flags, files, specs). */
    public static final int BAD_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Also show the libraries' warnings and notes (Lucene, DJL, ONNX Runtime, NATS), not only their errors.")
    boolean verbose;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns its exit code; used by tests. */
    public static int execute(String... args) {
        TroupeCli troupe = new TroupeCli();
        CommandLine cl = new CommandLine(troupe);
        CommandLine.IExecutionStrategy run = new CommandLine.RunLast();
        cl.setExecutionStrategy(parsed -> {
            ConsoleLogging.configure(troupe.verbose);
            return run.execute(parsed);
        });
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            // The tools module's errors (a spec, a catalog folder) say what and what to do, as Troupe's own do.
            if (ex instanceof TroupeException || ex instanceof ToolsException || ex instanceof IllegalArgumentException) {
                cmd.getErr().println("troupe: " + Redactor.fromEnvironment().redact(ex.getMessage()));
                return BAD_INPUT;
            }
            throw ex;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Reads the version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"troupe " + troupe(),
                    "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
        }

        /** Troupe's version from the jar manifest, or "(development build)" when run from classes. */
        static String troupe() {
            String v = TroupeCli.class.getPackage().getImplementationVersion();
            return v == null ? "(development build)" : v;
        }
    }
}
