package dev.troupe.cli;

import com.google.common.collect.ImmutableMap;
import dev.troupe.agents.model.ModelBackend;
import dev.troupe.agents.team.Team;
import dev.troupe.samples.demo.DemoTeam;
import java.util.function.Supplier;

/** The teams that ship with the CLI, each with a default idea and a scripted model for offline runs. */
final class BuiltinTeams {
    record Builtin(String name, String description, String defaultIdea, Supplier<Team.Builder> team,
                   Supplier<ModelBackend> scriptedModel) {}

    static final ImmutableMap<String, Builtin> ALL = ImmutableMap.of(
            DemoTeam.NAME, new Builtin(DemoTeam.NAME,
                    "PRD, then design and test plan in parallel, joined in a go/no-go review",
                    DemoTeam.DEFAULT_IDEA, DemoTeam::builder, DemoTeam::scriptedModel));

    private BuiltinTeams() {}
}
