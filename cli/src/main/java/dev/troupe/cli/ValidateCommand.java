package dev.troupe.cli;

import dev.troupe.agents.model.offline.DryRunModel;
import dev.troupe.agents.model.ModelResolver;
import dev.troupe.roles.TeamDefinition;
import dev.troupe.roles.TeamLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Checks a team definition and prints its SOP. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check a team file (keys, types, schemas, SOP) and print its SOP. Exit 0 when valid, 2 when not.")
final class ValidateCommand implements Callable<Integer> {
    /** How to print the SOP. */
    enum Format { mermaid, text }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TEAM", description = "A team YAML file, or a built-in team name.")
    String team;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "mermaid",
            description = "mermaid (a flowchart for Markdown) or text (default ${DEFAULT-VALUE}).")
    Format format;

    @Override
    public Integer call() {
        TeamDefinition def = TeamLoader.load(team);
        // Building resolves the roles' own model specs too, so a bad per-role spec is caught here.
        var built = def.toBuilder(new DryRunModel(), ModelResolver.standard()).build();
        SopDiagram sop = new SopDiagram(built.roles());
        var out = spec.commandLine().getOut();
        out.println(format == Format.mermaid ? sop.mermaid() : sop.text());
        out.flush();
        spec.commandLine().getErr().println("troupe: " + def.source().displayName() + " is valid: team '" + def.name() + "', "
                + def.roles().size() + " roles.");
        spec.commandLine().getErr().flush();
        return 0;
    }
}
