package dev.troupe.agents.team.internal;

/** How one role's step ended, whichever transport ran it; {@link StepEngine#take} decides. */
public sealed interface StepOutcome {

    /** The step ran to its end; what it published is on its way. */
    record Done() implements StepOutcome {}

    /** A model call was refused: the run's budget is spent. */
    record OverBudget(String message) implements StepOutcome {}

    /** The step would have started a round past the run's limit, so it did not start; the run ends with {@code message}. */
    record RoundLimit(String message) implements StepOutcome {}

    /** The step failed on {@code cause}; the run ends with {@code message}. */
    record Failed(String message, RuntimeException cause) implements StepOutcome {}

    /** The step stopped because its thread was interrupted or its run had ended. */
    record Cancelled() implements StepOutcome {}
}
