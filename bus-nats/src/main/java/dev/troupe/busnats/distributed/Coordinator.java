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
 * the budget, or cancel. Results have the same shape as in-process runs. When the team has a
 * journal, every message and every step a worker reports is written to it as the coordinator reads
 * them, and the run's end; {@link #follow} takes over a run whose coordinator stopped.
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
     * A coordinator for {@code team} (its roles, limits, budget, journal, workspace and listeners
     * are used; its models are the workers' business) that also reports run events to {@code listeners}.
     */
    public static Coordinator of(TeamStream stream, Team team, List<RunListener> listeners) {
        List<RunListener> all = new ArrayList<>(team.listeners());
        all.addAll(listeners);
        return new Coordinator(Objects.requireNonNull(stream), Objects.requireNonNull(team), all);
    }

    /** Starts a run and returns at once. */
    public RunHandle start(String requirement) {
        checkArgument(requirement != null && !requirement.isBlank(), "the requirement must not be blank");
        DistributedRun run = new DistributedRun(stream, team, requirement, new ArrayList<>(listeners));
        run.start();
        return run;
    }

    /**
     * Takes over a run that was started on this team's stream (by a coordinator that stopped, or
     * in another process) and follows it to its end; returns at once. The workers kept working
     * meanwhile; with a journal, the run's journal is claimed for one more attempt and gets what
     * it is missing.
     */
    public RunHandle follow(String runId) {
        checkArgument(runId != null && !runId.isBlank(), "the id of the run to follow must not be blank");
        DistributedRun run = DistributedRun.follow(stream, team, runId, new ArrayList<>(listeners));
        run.start();
        return run;
    }

    /** {@link #follow(String)}, waiting for the end; an interrupt cancels the run. */
    public RunResult resume(String runId) {
        return follow(runId).awaitOrCancel(Duration.ofSeconds(10));
    }

    /** Runs {@code requirement} to its end; an interrupt cancels the run. */
    public RunResult run(String requirement) {
        return start(requirement).awaitOrCancel(Duration.ofSeconds(10));
    }
}
