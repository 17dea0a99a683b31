package dev.troupe.cli;

import dev.troupe.agents.action.Action;
import dev.troupe.agents.role.Role;
import dev.troupe.roles.TeamDefinition;
import dev.troupe.roles.TeamLoader;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Lists the built-in teams with their roles and actions, and the built-in action library. */
@Command(name = "roles", aliases = "teams", mixinStandardHelpOptions = true,
        description = "List the built-in teams, their roles and actions, and the built-in actions for 'use: builtin:<name>'.")
final class TeamsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        for (String name : TeamLoader.builtinNames()) {
            TeamDefinition def = TeamLoader.builtin(name);
            out.println(name + " — " + def.description());
            def.idea().ifPresent(i -> out.println("  sample idea: " + i));
            for (Role r : def.roles()) {
                out.println("  " + r.name() + " (" + r.profile() + ", " + r.mode().name().toLowerCase() + "), watches "
                        + String.join(", ", r.watch()) + ": " + r.actions().stream().map(Action::name).collect(Collectors.joining(", ")));
            }
            out.println();
        }
        out.println("Built-in actions (use: builtin:<name>): " + String.join(", ", TeamLoader.builtinActionNames()));
        out.flush();
        return 0;
    }
}
