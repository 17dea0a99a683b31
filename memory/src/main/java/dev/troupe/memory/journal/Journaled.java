package dev.troupe.memory.journal;

import static com.google.common.base.Preconditions.checkArgument;

import java.time.Instant;
import java.util.Objects;

/**
 * An entry as read back from a run's journal.
 *
 * @param seq     the entry's place among all of the run's entries, messages and actions alike (from 1)
 * @param attempt the attempt that wrote it (1 for the first process, then one more per resume)
 */
public record Journaled<T>(long seq, int attempt, Instant at, T entry) {

    public Journaled {
        checkArgument(seq >= 1, "seq must be >= 1 but was %s", seq);
        checkArgument(attempt >= 1, "attempt must be >= 1 but was %s", attempt);
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(entry, "entry");
    }
}
