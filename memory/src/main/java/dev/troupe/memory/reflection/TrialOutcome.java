package dev.troupe.memory.reflection;

import java.util.Objects;

/** How a trial ended: {@link Success}, or {@link Failure} with a reason and a detail. */
public sealed interface TrialOutcome {

    static TrialOutcome success() {
        return Success.INSTANCE;
    }

    static TrialOutcome failure(FailureReason reason, String detail) {
        return new Failure(reason, detail);
    }

    default boolean succeeded() {
        return this instanceof Success;
    }

    /** The trial reached its goal. */
    record Success() implements TrialOutcome {
        private static final Success INSTANCE = new Success();
    }

    /**
     * The trial did not reach its goal.
     *
     * @param detail what went wrong in words (an error message, the failing test, the judge's
     *               verdict); may be empty
     */
    record Failure(FailureReason reason, String detail) implements TrialOutcome {
        public Failure {
            Objects.requireNonNull(reason, "failure reason must not be null");
            Objects.requireNonNull(detail, () -> "detail of a " + reason + " failure must not be null (use \"\")");
        }
    }
}
