package dev.troupe.cli;

import dev.troupe.agents.error.ConfigurationException;
import dev.troupe.agents.team.RunResult;
import dev.troupe.agents.team.Team;
import dev.troupe.busnats.NatsSettings;
import dev.troupe.busnats.TeamStream;
import dev.troupe.busnats.distributed.Coordinator;
import java.util.List;
import java.util.Optional;

/** {@code troupe run TEAM --bus URL}: the run's roles work in {@code troupe worker} processes; this one coordinates. */
final class BusRun {
    private BusRun() {}

    /**
     * Runs {@code team} as {@code run} configured it (the team's listeners report its events) through
     * a coordinator on the bus; with {@code resume}, follows that run, started earlier on the bus, to its end.
     */
    static RunResult run(RunCommand run, Team team, String requirement, Optional<String> resume) {
        if (run.record != null) {
            throw new ConfigurationException("--record cannot be used with --bus: the model calls happen in the workers."
                    + " Run the team in one process to record a cassette.");
        }
        try (TeamStream stream = TeamStream.open(NatsSettings.of(run.bus), team.name())) {
            Coordinator coordinator = Coordinator.of(stream, team, List.of());
            return resume.isPresent() ? coordinator.resume(resume.get()) : coordinator.run(requirement);
        }
    }
}
