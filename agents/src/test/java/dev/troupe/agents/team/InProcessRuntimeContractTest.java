package dev.troupe.agents.team;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.agents.journal.JdbcJournal;
import dev.troupe.agents.message.Message;

/** The runtime contract of a run in one process, on the in-memory bus, driven by {@link Team#run}. */
class InProcessRuntimeContractTest extends RuntimeContract {

    @Override
    protected RunResult run(Team team, String requirement) {
        return team.run(requirement);
    }

    /** The journal dies when the writer's draft is written, as a process killed at that write would. */
    @Override
    protected String startAndStop(Team.Builder team, JdbcJournal journal, String requirement) {
        DyingJournal dying = new DyingJournal(journal, entry -> entry instanceof Message m && m.causeBy().equals("Draft"));
        RunResult stopped = team.journal(dying).build().run(requirement);
        dying.awaitWritesDone();
        assertThat(stopped.status()).as("the kill ends the first attempt").isEqualTo(RunStatus.FAILED);
        return stopped.runId();
    }

    @Override
    protected RunResult resume(Team team, String runId) {
        return team.resume(runId);
    }
}
