package dev.troupe.memory.reflection;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Objects;

/**
 * What a reflection on a failed trial concluded: the earliest critical step, the lesson, and the
 * action that should have been taken there ("For action index=A, you should B").
 *
 * @param stepIndex       the earliest step that made the trial fail (0-based); it may equal the
 *                        trial's length, meaning the action that should have followed its last step
 * @param enforce         whether the next trial must take {@code correctedAction} at that step, or
 *                        only be told about it
 * @param fromTrial       the number of the failed trial this reflection explains
 */
public record Reflection(int stepIndex, String lesson, ActionCall correctedAction, boolean enforce, int fromTrial) {

    public Reflection {
        checkArgument(stepIndex >= 0, "reflection step index must be >= 0 but was %s", stepIndex);
        checkArgument(lesson != null && !lesson.isBlank(), "lesson of the reflection on step %s must not be blank but was '%s'",
                stepIndex, lesson);
        Objects.requireNonNull(correctedAction, () -> "corrected action of the reflection on step " + stepIndex + " must not be null");
        checkArgument(fromTrial >= 1, "reflection on step %s must come from a trial numbered >= 1 but fromTrial was %s",
                stepIndex, fromTrial);
    }

    /** A reflection whose corrected action the next trial must take. */
    public static Reflection enforced(int stepIndex, String lesson, ActionCall correctedAction, int fromTrial) {
        return new Reflection(stepIndex, lesson, correctedAction, true, fromTrial);
    }

    /** A reflection whose corrected action is only a suggestion to the planner. */
    public static Reflection advisory(int stepIndex, String lesson, ActionCall correctedAction, int fromTrial) {
        return new Reflection(stepIndex, lesson, correctedAction, false, fromTrial);
    }
}
