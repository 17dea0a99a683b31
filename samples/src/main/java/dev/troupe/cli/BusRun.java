package dev.troupe.cli;

import dev.troupe.agents.error.ConfigurationException;
import dev.troupe.agents.event.ConsoleRenderer;
import dev.troupe.agents.event.JsonlTraceWriter;
import dev.troupe.agents.event.RunListener;
import dev.troupe.agents.team.RunResult;
import dev.troupe.agents.team.Team;
import dev.troupe.busnats.NatsSettings;
import dev.troupe.busnats.TeamStream;
import dev.troupe.busnats.distributed.Coordinator;
import java.util.ArrayList;
import java.util.List;

/** {@code troupe run TEAM --bus URL}: the run's roles work in {@code troupe worker} processes; this one coordinates. */
final class BusRun {
    private BusRun() {}

    /** Runs {@code team} as {@code run} configured it, with the same listeners, through a coordinator on the bus. */
    static RunResult run(RunCommand run, Team team, String requirement, StepTimeline timeline, JsonlTraceWriter trace) {
        if (run.record != null) {
            throw new ConfigurationException("--record cannot be used with --bus: the model calls happen in the workers."
                    + " Run the team in one process to record a cassette.");
        }
        List<RunListener> listeners = new ArrayList<>();
        listeners.add(timeline);
        if (trace != null) {
            listeners.add(trace);
        }
        if (!run.quiet) {
            listeners.add(new ConsoleRenderer(System.out, false));
        }
        try (TeamStream stream = TeamStream.open(NatsSettings.of(run.bus), team.name())) {
            return Coordinator.of(stream, team, listeners).run(requirement);
        }
    }
}
