package dev.troupe.memory.journal;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * One process's claim on a run's journal: a run starts as attempt 1 and every resume takes the
 * next number. Writes carry their attempt, and a write from an attempt that is no longer the
 * latest is refused, so a process whose run was resumed elsewhere cannot interleave its entries.
 */
public record Attempt(String runId, int number) {

    public Attempt {
        checkArgument(runId != null && !runId.isBlank(), "runId of an attempt must not be blank");
        checkArgument(number >= 1, "attempt number of run '%s' must be >= 1 but was %s", runId, number);
    }
}
