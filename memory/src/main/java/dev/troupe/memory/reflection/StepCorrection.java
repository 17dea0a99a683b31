package dev.troupe.memory.reflection;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableSet;
import java.util.Objects;
import java.util.Optional;

/**
 * What later trials must do differently at one step: the latest reflection on it, and every action
 * that already failed there (the disabled set, which never includes the corrected action).
 */
public record StepCorrection(Reflection reflection, ImmutableSet<ActionCall> disabledActions) {

    public StepCorrection {
        Objects.requireNonNull(reflection, "reflection must not be null");
        Objects.requireNonNull(disabledActions, () -> "disabled actions of step " + reflection.stepIndex() + " must not be null");
        checkArgument(!disabledActions.contains(reflection.correctedAction()),
                "the corrected action %s of step %s is also in that step's disabled set %s",
                reflection.correctedAction(), reflection.stepIndex(), disabledActions);
    }

    public int stepIndex() {
        return reflection.stepIndex();
    }

    /** The action the next trial must take at this step; empty when the reflection is advisory. */
    public Optional<ActionCall> forcedAction() {
        return reflection.enforce() ? Optional.of(reflection.correctedAction()) : Optional.empty();
    }

    /** Whether {@code action} already failed at this step and must not be chosen there again. */
    public boolean isDisabled(ActionCall action) {
        return disabledActions.contains(action);
    }
}
