package dev.troupe.agents.error;

/** Raised when a model call would start after the run's budget is spent; the run ends BUDGET_EXCEEDED. */
public class BudgetExceededException extends TroupeException {
    /** A model call refused because the run's budget is spent; {@code message} says how much. */
    public BudgetExceededException(String message) {
        super(message);
    }
}
