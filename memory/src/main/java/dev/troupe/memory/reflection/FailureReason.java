package dev.troupe.memory.reflection;

/** Why a trial failed, as the judge or the executor saw it. */
public enum FailureReason {
    /** An action raised an error the plan could not recover from. */
    ERROR,
    /** The plan came back to a state it had already been in. */
    CYCLE,
    /** The last actions changed nothing. */
    NO_CHANGE,
    /** The trial ran out of steps. */
    STEP_CAP,
    /** The trial finished but its judge (schema, tests, tool result or model) rejected the result. */
    JUDGE_REJECTED
}
