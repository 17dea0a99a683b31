package dev.troupe.roles;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.troupe.agents.action.Action;
import dev.troupe.agents.command.Sandbox;
import dev.troupe.agents.model.Budget;
import dev.troupe.agents.model.ModelBackend;
import dev.troupe.agents.model.ModelResolver;
import dev.troupe.agents.model.offline.ScriptedModel;
import dev.troupe.agents.reflection.ReflectionSettings;
import dev.troupe.agents.role.Role;
import dev.troupe.agents.team.Team;
import dev.troupe.roles.tools.RoleTools;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * A team as a YAML file describes it, validated: roles, SOP, models, budget and limits. Turn it
 * into a runnable {@link Team} with {@link #toBuilder}.
 *
 * @param model        the team's default model spec ({@code model:})
 * @param offlineModel the model to use when none is configured ({@code offlineModel:}), e.g. a bundled script
 * @param idea         a sample requirement ({@code idea:}), the one the offline model answers
 * @param roleLocations where each role is defined, file:line:column, for error messages
 */
public record TeamDefinition(
        String name,
        String description,
        Source source,
        Optional<String> model,
        Optional<String> offlineModel,
        Optional<String> idea,
        Optional<Budget> budget,
        Optional<Integer> maxRounds,
        Optional<Duration> timeout,
        ImmutableList<Role> roles,
        ImmutableMap<String, String> roleLocations) {

    /**
     * A team builder with this definition's roles, budget and limits, {@code model} as the default
     * model, and each role's own {@code model:} resolved next to the team file.
     */
    public Team.Builder toBuilder(ModelBackend model, ModelResolver resolver) {
        Team.Builder b = Team.builder(name).roles(roles).model(model);
        budget.ifPresent(b::budget);
        maxRounds.ifPresent(b::maxRounds);
        timeout.ifPresent(b::timeout);
        for (Role r : roles) {
            r.model().ifPresent(spec -> b.roleModel(r.name(), resolve(spec, resolver)));
        }
        return b;
    }

    /**
     * This team with every command (its {@code run:} actions and {@code tests:} judges) run in
     * {@code sandbox}: {@code sandbox: none} in the YAML, or {@code --no-sandbox} on the command line.
     */
    public TeamDefinition withSandbox(Sandbox sandbox) {
        ImmutableList<Role> confined = roles.stream().map(r -> r.newBuilder().actions(r.actions().stream().map(a -> {
            Action.Builder b = a.newBuilder();
            a.command().ifPresent(c -> b.command(c.withSandbox(sandbox)));
            a.reflection().ifPresent(rs -> rs.tests().ifPresent(t -> b.reflection(rs.withTests(t.withSandbox(sandbox)))));
            return b.build();
        }).toList()).build()).collect(ImmutableList.toImmutableList());
        return new TeamDefinition(name, description, source, model, offlineModel, idea, budget, maxRounds, timeout, confined,
                roleLocations);
    }

    /** Whether any command of the team runs outside the sandbox. */
    public boolean unsandboxed() {
        return roles.stream().flatMap(r -> r.actions().stream()).anyMatch(a ->
                a.command().map(c -> c.sandbox() == Sandbox.NONE).orElse(false)
                        || a.reflection().flatMap(ReflectionSettings::tests).map(c -> c.sandbox() == Sandbox.NONE).orElse(false));
    }

    /** The tools the roles' {@code tools:} keys give, each once, in role order. */
    public ImmutableList<RoleTools> tools() {
        return roles.stream().flatMap(r -> r.actions().stream()).flatMap(a -> a.toolProvider().stream())
                .filter(RoleTools.class::isInstance).map(RoleTools.class::cast).distinct()
                .collect(ImmutableList.toImmutableList());
    }

    /**
     * Resolves a model spec the way this file sees it: {@code scripted:} and {@code replay:} paths
     * are relative to the team file (or to the built-in library for built-in teams).
     */
    public ModelBackend resolve(String spec, ModelResolver resolver) {
        String s = spec.trim();
        if (source instanceof Source.ResourceSource && (s.startsWith("scripted:") || s.startsWith("replay:"))) {
            Source script = source.sibling(s.substring(s.indexOf(':') + 1));
            try {
                if (s.startsWith("scripted:")) {
                    return ScriptedModel.parse(script.read(), script.displayName(), s);
                }
            } catch (IOException e) {
                throw new TeamDefinitionException(source.displayName() + ": cannot read " + script.displayName() + ": " + e.getMessage(), e);
            }
            throw new TeamDefinitionException(source.displayName() + ": built-in teams cannot replay cassettes; use --model replay:FILE");
        }
        return source.directory().map(resolver::relativeTo).orElse(resolver).resolve(s);
    }

}
