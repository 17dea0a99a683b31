package dev.troupe.busnats.distributed;

import static com.google.common.base.Preconditions.checkArgument;

import dev.troupe.agents.event.RunListener;
import dev.troupe.agents.team.RunHandle;
import dev.troupe.agents.team.RunResult;
import dev.troupe.agents.team.Team;
import dev.troupe.busnats.TeamStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Starts runs of a team whose roles work in {@link RoleWorker}s, and follows each to its end: it
 * publishes the run's settings and requirement, and ends the run when every message has been
 * processed by every role that observes it (SUCCEEDED), on a failed step, the round or time limit,
 * the budget, or cancel. Results have the same shape as in-process runs.
 */
public final class Coordinator {
    private final TeamStream stream;
    private final Team team;
    private final List<RunListener> listeners;

    private Coordinator(TeamStream stream, Team team, List<RunListener> listeners) {
        this.stream = stream;
        this.team = team;
        this.listeners = List.copyOf(listeners);
    }

    /**
     * A coordinator for {@code team} (its roles, limits, budget and workspace are used; its models
     * are the workers' business) that reports run events to {@code listeners}.
     */
    public static Coordinator of(TeamStream stream, Team team, List<RunListener> listeners) {
        return new Coordinator(Objects.requireNonNull(stream), Objects.requireNonNull(team), listeners);
    }

    /** Starts a run and returns at once. */
    public RunHandle start(String requirement) {
        checkArgument(requirement != null && !requirement.isBlank(), "the requirement must not be blank");
        DistributedRun run = new DistributedRun(stream, team, requirement, new ArrayList<>(listeners));
        run.start();
        return run;
    }

    /** Runs {@code requirement} to its end; an interrupt cancels the run. */
    public RunResult run(String requirement) {
        return start(requirement).awaitOrCancel(Duration.ofSeconds(10));
    }
}
