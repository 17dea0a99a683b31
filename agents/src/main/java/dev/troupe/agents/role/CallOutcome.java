package dev.troupe.agents.role;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * What one journaled call of a step came to: its output, or the failure its action ended in. A
 * step that went on after a failed call (a re-plan) meets the same failure when it is replayed.
 */
public sealed interface CallOutcome {

    /** The call produced {@code value} (an action's output, a command's payload). */
    record Output(JsonNode value) implements CallOutcome {
        public Output {
            Objects.requireNonNull(value, "value");
        }
    }

    /** The call's action failed: {@code role}'s {@code action}, for {@code detail}. */
    record Failed(String role, String action, String detail) implements CallOutcome {
        public Failed {
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
