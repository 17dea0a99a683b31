package dev.troupe.memory.journal;

import static com.google.common.base.Preconditions.checkArgument;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of {@code troupe runs list}: a journaled run, how it stands and how much it holds.
 *
 * @param status   {@value RunJournal#RUNNING} while a process works on it (or was killed doing so),
 *                 else how it ended (the runtime's run status)
 * @param attempts 1, plus one per resume
 */
public record RunSummary(String runId, String team, String requirement, String status, Optional<String> error,
                         int attempts, Optional<String> workspace, Instant startedAt, Instant updatedAt,
                         Optional<Instant> endedAt, int messages, int actions, long modelCalls) {

    public RunSummary {
        checkArgument(runId != null && !runId.isBlank(), "runId must not be blank");
        Objects.requireNonNull(team, "team");
        Objects.requireNonNull(requirement, "requirement");
        checkArgument(status != null && !status.isBlank(), "status of run '%s' must not be blank", runId);
        Objects.requireNonNull(error, "error");
        checkArgument(attempts >= 1, "attempts of run '%s' must be >= 1 but was %s", runId, attempts);
        Objects.requireNonNull(workspace, "workspace");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(endedAt, "endedAt");
    }

    /** Whether the run has ended; a run still {@value RunJournal#RUNNING} may be going on or may have been killed. */
    public boolean ended() {
        return endedAt.isPresent();
    }
}
