package dev.troupe.memory.journal;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Objects;
import java.util.Optional;

/**
 * What a run's journal starts with: the run's id, its team, the requirement it works on and the
 * workspace its actions write in, if any.
 */
public record RunEntry(String runId, String team, String requirement, Optional<String> workspace) {

    public RunEntry {
        checkArgument(runId != null && !runId.isBlank(), "runId must not be blank");
        checkArgument(team != null && !team.isBlank(), "team of run '%s' must not be blank", runId);
        Objects.requireNonNull(requirement, "requirement");
        Objects.requireNonNull(workspace, "workspace");
    }
}
