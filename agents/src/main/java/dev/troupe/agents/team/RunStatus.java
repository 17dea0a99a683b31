package dev.troupe.agents.team;

/** How a run ended. */
public enum RunStatus {
    /** Every role ran out of news. */
    SUCCEEDED,
    /** An action failed for good (invalid output after repairs, a permanent model error, a bad script). */
    FAILED,
    /** A model call would have started after the budget was spent. */
    BUDGET_EXCEEDED,
    /** A step would have started past the round limit. */
    ROUND_LIMIT,
    /** The run's time limit passed. */
    TIMED_OUT,
    /** Someone cancelled the run. */
    CANCELLED
}
