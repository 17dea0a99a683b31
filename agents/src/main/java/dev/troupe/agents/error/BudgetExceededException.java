package dev.troupe.agents.error;

/** Raised when a model call would start after the run's budget is spent; the run ends BUDGET_EXCEEDED. */
public class BudgetExceededException extends TroupeException {
    public BudgetExceededException(String message) {
        super(message);
    }
}
