package dev.troupe.busnats.example;

import dev.troupe.agents.team.RunResult;
import dev.troupe.agents.team.Team;
import dev.troupe.busnats.NatsSettings;
import dev.troupe.busnats.TeamStream;
import dev.troupe.busnats.distributed.Coordinator;
import dev.troupe.busnats.distributed.RoleWorker;
import java.util.List;

/** A team's role Bob served by two workers, and a run coordinated over NATS JetStream, e.g. at nats://127.0.0.1:4222. */
public final class NatsTeam {
    public static RunResult run(Team team, NatsSettings nats) {
        try (TeamStream stream = TeamStream.open(nats, team.name());
             RoleWorker bob = RoleWorker.builder(stream, team, "Bob").build().start(2)) {   // in a worker process
            return Coordinator.of(stream, team, List.of()).run("A snake game");         // in the coordinating process
        }
    }
}
