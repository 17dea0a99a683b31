package dev.troupe.memory.reflection;

/** How one step of a trial went: its action ran fine, ran and failed, or was not run. */
public enum StepStatus {
    OK,
    FAILED,
    SKIPPED
}
