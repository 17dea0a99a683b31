package dev.troupe.agents.reflection;

import static com.google.common.base.Preconditions.checkArgument;

import dev.troupe.agents.command.CommandSpec;
import java.util.Objects;
import java.util.Optional;

/**
 * How an action retries a failed plan under structured reflection: the trial cap, how a trial is
 * judged, the task key its lessons are kept under, and the step cap of one trial.
 *
 * @param key      the task key; empty derives it from team, role, action and the requirement
 * @param tests    the command the TESTS judge runs in the workspace
 * @param maxSteps the most tool calls one trial may make (then it fails with STEP_CAP)
 */
public record ReflectionSettings(int maxTrials, Judge judge, Optional<String> key, Optional<CommandSpec> tests, int maxSteps) {

    /** How a trial's outcome is judged. */
    public enum Judge {
        /** The answer validates against the action's schema (or is non-empty text). */
        SCHEMA,
        /** No tool call failed on the way and the last observation is not an error. */
        TOOLS,
        /** A test command in the workspace exits 0. */
        TESTS,
        /** A model call judges the answer against the task. */
        LLM
    }

    public ReflectionSettings {
        checkArgument(maxTrials >= 1 && maxTrials <= 100, "maxTrials must be in 1..100 but was %s", maxTrials);
        Objects.requireNonNull(judge, "judge");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(tests, "tests");
        checkArgument(judge != Judge.TESTS || tests.isPresent(), "the tests judge needs a test command");
        checkArgument(maxSteps >= 1, "maxSteps must be >= 1 but was %s", maxSteps);
    }

    /** Three trials of at most 12 tool calls each, judged by the tools' outcomes, under a derived task key. */
    public static ReflectionSettings defaults() {
        return new ReflectionSettings(3, Judge.TOOLS, Optional.empty(), Optional.empty(), 12);
    }

    /** A copy that gives up after {@code n} trials (1..100). */
    public ReflectionSettings withMaxTrials(int n) {
        return new ReflectionSettings(n, judge, key, tests, maxSteps);
    }

    /** A copy whose trials are judged by {@code j}; {@link Judge#TESTS} needs {@link #withTests}. */
    public ReflectionSettings withJudge(Judge j) {
        return new ReflectionSettings(maxTrials, j, key, tests, maxSteps);
    }

    /** A copy whose lessons are kept under the task key {@code k}, shared by every run that uses it. */
    public ReflectionSettings withKey(String k) {
        return new ReflectionSettings(maxTrials, judge, Optional.of(k), tests, maxSteps);
    }

    /** A copy judged by {@code command} exiting 0 in the workspace. */
    public ReflectionSettings withTests(CommandSpec command) {
        return new ReflectionSettings(maxTrials, judge, key, Optional.of(command), maxSteps);
    }

    /** A copy whose trials fail with STEP_CAP after {@code n} tool calls. */
    public ReflectionSettings withMaxSteps(int n) {
        return new ReflectionSettings(maxTrials, judge, key, tests, n);
    }
}
