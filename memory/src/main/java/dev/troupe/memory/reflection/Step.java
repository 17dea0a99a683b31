package dev.troupe.memory.reflection;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Objects;

/**
 * One step of a trial: the state the planner saw, the action it took, what came back, and whether
 * the action was replayed from an earlier trial rather than planned anew.
 *
 * @param index        0-based position in the trial
 * @param stateSummary a short description of the state before the action (may be empty)
 * @param observation  what the action returned or the error it raised (may be empty)
 */
public record Step(int index, String stateSummary, ActionCall action, String observation, StepStatus status,
                   boolean replayed) {

    public Step {
        checkArgument(index >= 0, "step index must be >= 0 but was %s", index);
        Objects.requireNonNull(stateSummary, () -> "stateSummary of step " + index + " must not be null (use \"\")");
        Objects.requireNonNull(action, () -> "action of step " + index + " must not be null");
        Objects.requireNonNull(observation, () -> "observation of step " + index + " must not be null (use \"\")");
        Objects.requireNonNull(status, () -> "status of step " + index + " must not be null");
    }

    /** A step planned in this trial (not replayed). */
    public static Step of(int index, String stateSummary, ActionCall action, String observation, StepStatus status) {
        return new Step(index, stateSummary, action, observation, status, false);
    }

    /** This step as re-executed in a later trial at the same index. */
    public Step asReplayed(String newObservation, StepStatus newStatus) {
        return new Step(index, stateSummary, action, newObservation, newStatus, true);
    }
}
