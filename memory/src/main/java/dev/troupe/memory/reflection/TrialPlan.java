package dev.troupe.memory.reflection;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How to run the next trial of a task under its reflections: replay {@link #replay()} without
 * asking the planner, then at each later step take {@link #forcedActionAt} if present, else let the
 * planner choose while hiding {@link #disabledActionsAt}.
 *
 * @param attempt     1-based number of this trial within its run
 * @param replay      the steps before the critical step, from the trial its reflection explains;
 *                    a step replays its action (re-executing it unless the runtime knows the tool
 *                    is read-only and reuses the observation)
 * @param corrections every step correction in step order; the last one names the critical step
 */
public record TrialPlan(TaskKey key, String runId, int attempt, int maxTrials, ImmutableList<Step> replay,
                        ImmutableList<StepCorrection> corrections) {

    public TrialPlan {
        Objects.requireNonNull(key, "key must not be null");
        checkArgument(runId != null && !runId.isBlank(), "runId must not be blank but was '%s'", runId);
        checkArgument(maxTrials >= 1, "maxTrials must be >= 1 but was %s", maxTrials);
        checkArgument(attempt >= 1 && attempt <= maxTrials, "attempt must be in 1..%s but was %s", maxTrials, attempt);
        Objects.requireNonNull(replay, "replay must not be null");
        Objects.requireNonNull(corrections, "corrections must not be null");
        for (int i = 0; i < replay.size(); i++) {
            checkArgument(replay.get(i).index() == i, "replayed step %s has index %s", i, replay.get(i).index());
        }
    }

    /** The lessons to show the planner, in step order. */
    public ImmutableList<Reflection> lessons() {
        return corrections.stream().map(StepCorrection::reflection).collect(ImmutableList.toImmutableList());
    }

    /** The step the latest reflection named, where replay ends and correction starts; empty without lessons. */
    public OptionalInt criticalStep() {
        return corrections.isEmpty() ? OptionalInt.empty() : OptionalInt.of(corrections.getLast().stepIndex());
    }

    public Optional<StepCorrection> correctionAt(int stepIndex) {
        return corrections.stream().filter(c -> c.stepIndex() == stepIndex).findFirst();
    }

    /** The action the trial must take at {@code stepIndex}, when an enforced reflection names one. */
    public Optional<ActionCall> forcedActionAt(int stepIndex) {
        return correctionAt(stepIndex).flatMap(StepCorrection::forcedAction);
    }

    /** The actions that already failed at {@code stepIndex}; the planner must not choose them there. */
    public ImmutableSet<ActionCall> disabledActionsAt(int stepIndex) {
        return correctionAt(stepIndex).map(StepCorrection::disabledActions).orElse(ImmutableSet.of());
    }

    /** Whether this is the run's last allowed trial. */
    public boolean isLastAttempt() {
        return attempt == maxTrials;
    }
}
