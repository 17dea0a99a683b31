package dev.troupe.agents.team;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.agents.model.Usage;
import dev.troupe.agents.role.CallOutcome;
import dev.troupe.agents.role.StepCall;
import java.util.Objects;

/**
 * A call of a role's step that completed, as the journal keeps it: which call, what it came to,
 * and the model calls, tokens and cost it spent.
 */
public record CompletedCall(StepCall call, CallOutcome outcome, Usage usage) {

    public CompletedCall {
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(usage, "usage");
    }

    /** A call that produced {@code output}. */
    public CompletedCall(StepCall call, JsonNode output, Usage usage) {
        this(call, new CallOutcome.Output(output), usage);
    }
}
