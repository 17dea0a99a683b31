package dev.troupe.cli;

import dev.troupe.agents.action.Action;
import dev.troupe.agents.role.Role;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Lists the built-in teams with their roles and actions. */
@Command(name = "roles", aliases = "teams", mixinStandardHelpOptions = true,
        description = "List the built-in teams, their roles and actions.")
final class TeamsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        for (BuiltinTeams.Builtin b : BuiltinTeams.ALL.values()) {
            out.println(b.name() + " — " + b.description());
            for (Role r : b.team().get().model(b.scriptedModel().get()).build().roles()) {
                out.println("  " + r.name() + " (" + r.profile() + "), watches " + String.join(", ", r.watch())
                        + ": " + r.actions().stream().map(Action::name).collect(Collectors.joining(", ")));
            }
        }
        return 0;
    }
}
