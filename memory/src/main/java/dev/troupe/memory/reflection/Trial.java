package dev.troupe.memory.reflection;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import java.util.Objects;

/**
 * One attempt at a task: its steps in order and how it ended.
 *
 * @param number the task's trial counter when this trial was recorded (1-based, never reused)
 * @param runId  the run the trial belongs to; the trial cap counts trials per run
 */
public record Trial(int number, String runId, ImmutableList<Step> steps, TrialOutcome outcome) {

    public Trial {
        checkArgument(number >= 1, "trial number must be >= 1 but was %s", number);
        checkArgument(runId != null && !runId.isBlank(), "runId of trial %s must not be blank but was '%s'", number, runId);
        Objects.requireNonNull(steps, () -> "steps of trial " + number + " must not be null");
        Objects.requireNonNull(outcome, () -> "outcome of trial " + number + " must not be null");
        for (int i = 0; i < steps.size(); i++) {
            checkArgument(steps.get(i).index() == i, "step %s of trial %s has index %s; steps must be numbered 0, 1, 2… in order",
                    i, number, steps.get(i).index());
        }
    }

    public boolean succeeded() {
        return outcome.succeeded();
    }
}
