package dev.troupe.memory.reflection.store;

import static com.google.common.base.Preconditions.checkArgument;

import dev.troupe.memory.reflection.TaskKey;
import dev.troupe.memory.reflection.TrialOutcome;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of {@code troupe memory list}: a stored task, how often it was tried, how many lessons
 * it holds and how its last trial ended.
 */
public record TaskSummary(TaskKey key, long version, int maxTrials, int trialsRecorded, int lessons,
                          Optional<TrialOutcome> lastOutcome, Instant updatedAt) {

    public TaskSummary {
        Objects.requireNonNull(key, "key must not be null");
        checkArgument(version >= 1, "version of stored task '%s' must be >= 1 but was %s", key, version);
        checkArgument(trialsRecorded >= 0, "trialsRecorded of '%s' must be >= 0 but was %s", key, trialsRecorded);
        checkArgument(lessons >= 0, "lessons of '%s' must be >= 0 but was %s", key, lessons);
        Objects.requireNonNull(lastOutcome, "lastOutcome must not be null");
        Objects.requireNonNull(updatedAt, "updatedAt must not be null");
    }
}
