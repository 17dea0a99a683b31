package dev.troupe.busnats.distributed;

import dev.troupe.agents.journal.JdbcJournal;
import dev.troupe.agents.role.Role;
import dev.troupe.agents.team.RunResult;
import dev.troupe.agents.team.RuntimeContract;
import dev.troupe.agents.team.Team;
import dev.troupe.busnats.LocalNats;
import dev.troupe.busnats.TeamStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The runtime contract of a run spread over NATS: a {@link Coordinator} and one {@link RoleWorker}
 * per role, all in this JVM, on the local NATS server (skipped when there is none).
 */
class NatsRuntimeContractTest extends RuntimeContract {
    private final List<TeamStream> streams = new ArrayList<>();
    private final List<RoleWorker> workers = new ArrayList<>();

    @BeforeEach
    void needsNats() {
        LocalNats.assumeAvailable();
    }

    @AfterEach
    void stop() {
        workers.forEach(RoleWorker::close);
        for (TeamStream s : streams) {
            s.delete();
            s.close();
        }
    }

    /** The team's stream with a worker for each of its roles. */
    private TeamStream deployed(Team team) {
        TeamStream stream = TeamStream.open(LocalNats.isolatedSettings().withAckWait(Duration.ofSeconds(2)), team.name());
        streams.add(stream);
        return stream;
    }

    private void workersFor(TeamStream stream, Team team) {
        for (Role r : team.roles()) {
            workers.add(RoleWorker.builder(stream, team, r.name()).build().start(1));
        }
    }

    @Override
    protected RunResult run(Team team, String requirement) {
        TeamStream stream = deployed(team);
        workersFor(stream, team);
        return Coordinator.of(stream, team, List.of()).run(requirement);
    }

    /** The coordinator stops following right after opening the run, as a coordinator process that dies would; the workers go on. */
    @Override
    protected String startAndStop(Team.Builder team, JdbcJournal journal, String requirement) {
        Team built = team.build();
        TeamStream stream = deployed(built);
        workersFor(stream, built);
        DistributedRun first = (DistributedRun) Coordinator.of(stream, built, List.of()).start(requirement);
        first.abandon();
        return first.runId();
    }

    @Override
    protected RunResult resume(Team team, String runId) {
        return Coordinator.of(streams.getLast(), team, List.of()).resume(runId);
    }
}
