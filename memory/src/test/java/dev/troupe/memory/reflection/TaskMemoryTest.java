package dev.troupe.memory.reflection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.troupe.memory.error.TrialCapExceededException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The structured-reflection rules of arXiv 2310.08740, on the pure domain object. */
class TaskMemoryTest {
    private static final TaskKey KEY = TaskKey.of("shop/buyer/checkout");
    private static final TrialOutcome FAILED = TrialOutcome.failure(FailureReason.ERROR, "payment refused");

    private static ActionCall call(String name) {
        return ActionCall.of(name, "{\"target\": \"" + name + "\"}");
    }

    /** A trajectory taking these actions; the last step failed. */
    private static List<Step> trajectory(String... actions) {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < actions.length; i++) {
            steps.add(Step.of(i, "page " + i, call(actions[i]), "saw " + i,
                    i == actions.length - 1 ? StepStatus.FAILED : StepStatus.OK));
        }
        return steps;
    }

    private static TaskMemory failedOnce(String... actions) {
        return TaskMemory.create(KEY, 5).recordTrial("run-1", trajectory(actions), FAILED);
    }

    @Test
    void aNewTaskPlansAFreeFirstTrial() {
        TrialPlan plan = TaskMemory.create(KEY, 3).planNextTrial("run-1");

        assertThat(plan.attempt()).isEqualTo(1);
        assertThat(plan.replay()).isEmpty();
        assertThat(plan.lessons()).isEmpty();
        assertThat(plan.criticalStep()).isEmpty();
        assertThat(plan.forcedActionAt(0)).isEmpty();
        assertThat(plan.disabledActionsAt(0)).isEmpty();
    }

    @Test
    void theNextTrialReplaysTheStepsBeforeTheCriticalStepAndIsForcedThere() {
        TaskMemory memory = failedOnce("open", "search", "add-wrong-item", "pay")
                .recordReflection(Reflection.enforced(2, "add the blue mug, not the red one", call("add-blue-mug"), 1));

        TrialPlan plan = memory.planNextTrial("run-1");

        assertThat(plan.attempt()).isEqualTo(2);
        assertThat(plan.replay()).extracting(Step::action).containsExactly(call("open"), call("search"));
        assertThat(plan.replay()).isEqualTo(memory.trial(1).orElseThrow().steps().subList(0, 2));
        assertThat(plan.criticalStep()).hasValue(2);
        assertThat(plan.forcedActionAt(2)).contains(call("add-blue-mug"));
        assertThat(plan.disabledActionsAt(2)).containsExactly(call("add-wrong-item"));
        assertThat(plan.forcedActionAt(3)).isEmpty();
        assertThat(plan.disabledActionsAt(3)).isEmpty();
        assertThat(plan.lessons()).extracting(Reflection::lesson).containsExactly("add the blue mug, not the red one");
    }

    @Test
    void anAdvisoryReflectionIsShownButNotForced() {
        TaskMemory memory = failedOnce("open", "search")
                .recordReflection(Reflection.advisory(1, "search by SKU", call("search-sku"), 1));

        TrialPlan plan = memory.planNextTrial("run-1");

        assertThat(plan.forcedActionAt(1)).isEmpty();
        assertThat(plan.disabledActionsAt(1)).containsExactly(call("search"));
        assertThat(plan.lessons()).extracting(Reflection::correctedAction).containsExactly(call("search-sku"));
    }

    @Test
    void aNewReflectionClearsEveryReflectionAfterItsStep() {
        TaskMemory memory = failedOnce("a", "b", "c", "d")
                .recordReflection(Reflection.enforced(3, "late lesson", call("d2"), 1))
                .recordTrial("run-1", trajectory("a", "b", "c", "d2", "e"), FAILED)
                .recordReflection(Reflection.enforced(1, "the real mistake was b", call("b2"), 2));

        assertThat(memory.corrections()).extracting(StepCorrection::stepIndex).containsExactly(1);
        assertThat(memory.correctionAt(3)).isEmpty();
        TrialPlan plan = memory.planNextTrial("run-1");
        assertThat(plan.forcedActionAt(3)).isEmpty();
        assertThat(plan.disabledActionsAt(3)).isEmpty();
        assertThat(plan.lessons()).extracting(Reflection::lesson).containsExactly("the real mistake was b");
        assertThat(plan.replay()).extracting(Step::action).containsExactly(call("a"));
    }

    @Test
    void reflectionsBeforeTheNewStepAreKeptInStepOrder() {
        TaskMemory memory = failedOnce("a", "b", "c")
                .recordReflection(Reflection.enforced(1, "first lesson", call("b2"), 1))
                .recordTrial("run-1", trajectory("a", "b2", "c", "d"), FAILED)
                .recordReflection(Reflection.enforced(3, "second lesson", call("d2"), 2));

        assertThat(memory.lessons()).extracting(Reflection::stepIndex).containsExactly(1, 3);
        TrialPlan plan = memory.planNextTrial("run-1");
        // The replay comes from trial 2, which already took the corrected action at step 1.
        assertThat(plan.replay()).extracting(Step::action).containsExactly(call("a"), call("b2"), call("c"));
        assertThat(plan.forcedActionAt(1)).contains(call("b2"));
        assertThat(plan.forcedActionAt(3)).contains(call("d2"));
        assertThat(plan.criticalStep()).hasValue(3);
    }

    @Test
    void everyActionThatFailedAtAStepStaysDisabledThere() {
        TaskMemory memory = failedOnce("a", "b")
                .recordReflection(Reflection.enforced(1, "try c", call("c"), 1))
                .recordTrial("run-1", trajectory("a", "c"), FAILED)
                .recordReflection(Reflection.enforced(1, "c failed too, try d", call("d"), 2));

        StepCorrection atOne = memory.correctionAt(1).orElseThrow();
        assertThat(atOne.disabledActions()).containsExactly(call("b"), call("c"));
        assertThat(atOne.forcedAction()).contains(call("d"));
        assertThat(atOne.reflection().lesson()).isEqualTo("c failed too, try d");
    }

    @Test
    void clearingAStepAlsoDropsItsDisabledSet() {
        TaskMemory memory = failedOnce("a", "b", "c")
                .recordReflection(Reflection.enforced(2, "not c", call("c2"), 1))
                .recordTrial("run-1", trajectory("a", "b", "c2"), FAILED)
                .recordReflection(Reflection.enforced(2, "not c2 either", call("c3"), 2));
        assertThat(memory.correctionAt(2).orElseThrow().disabledActions()).containsExactly(call("c"), call("c2"));

        memory = memory
                .recordTrial("run-1", trajectory("a", "b", "c3"), FAILED)
                .recordReflection(Reflection.enforced(0, "start elsewhere", call("a2"), 3))
                .recordTrial("run-1", trajectory("a2", "b", "c"), FAILED)
                .recordReflection(Reflection.enforced(2, "c again", call("c4"), 4));

        // Step 2's disabled set starts afresh: c2 and c3 failed after a step that now goes differently.
        assertThat(memory.correctionAt(2).orElseThrow().disabledActions()).containsExactly(call("c"));
        assertThat(memory.correctionAt(0).orElseThrow().disabledActions()).containsExactly(call("a"));
    }

    @Test
    void correctingToAnActionThatAlreadyFailedThereIsRefused() {
        TaskMemory memory = failedOnce("a", "b");

        assertThatIllegalArgumentException()
                .isThrownBy(() -> memory.recordReflection(Reflection.enforced(1, "do b again", call("b"), 1)))
                .withMessageContaining("corrects it to b {\"target\":\"b\"}, which already failed at that step")
                .withMessageContaining("ask for a different action");
    }

    @Test
    void aReflectionOnTheStepAfterTheLastReplaysTheWholeTrialAndDisablesNothing() {
        TaskMemory memory = TaskMemory.create(KEY, 3)
                .recordTrial("run-1", trajectory("a", "b"), TrialOutcome.failure(FailureReason.NO_CHANGE, "stopped early"))
                .recordReflection(Reflection.enforced(2, "finish with submit", call("submit"), 1));

        TrialPlan plan = memory.planNextTrial("run-1");
        assertThat(plan.replay()).extracting(Step::action).containsExactly(call("a"), call("b"));
        assertThat(plan.forcedActionAt(2)).contains(call("submit"));
        assertThat(plan.disabledActionsAt(2)).isEmpty();
    }

    @Test
    void reflectionsMustExplainAHeldFailedTrialWithinItsSteps() {
        TaskMemory failed = failedOnce("a", "b");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> failed.recordReflection(Reflection.enforced(3, "x", call("z"), 1)))
                .withMessageContaining("names step 3 but trial 1 of task 'shop/buyer/checkout' has 2 steps");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> failed.recordReflection(Reflection.enforced(0, "x", call("z"), 7)))
                .withMessageContaining("comes from trial 7, which this memory does not hold (it holds trials [1])");

        TaskMemory succeeded = TaskMemory.create(KEY, 3).recordTrial("run-1", trajectory("a"), TrialOutcome.success());
        assertThatIllegalArgumentException()
                .isThrownBy(() -> succeeded.recordReflection(Reflection.enforced(0, "x", call("z"), 1)))
                .withMessageContaining("trial 1, which succeeded");
    }

    @Test
    void aRunCannotStartATrialPastTheCap() {
        TaskMemory memory = TaskMemory.create(KEY, 2)
                .recordTrial("run-1", trajectory("a"), FAILED)
                .recordTrial("run-1", trajectory("a"), FAILED);

        assertThat(memory.trialsInRun("run-1")).isEqualTo(2);
        assertThat(memory.canStartTrial("run-1")).isFalse();
        assertThatThrownBy(() -> memory.planNextTrial("run-1"))
                .isInstanceOf(TrialCapExceededException.class)
                .hasMessage("task 'shop/buyer/checkout': run 'run-1' has used all 2 of its trials (maxTrials=2); "
                        + "report the last failure, or raise reflection.maxTrials");
        assertThatThrownBy(() -> memory.recordTrial("run-1", trajectory("a"), FAILED))
                .isInstanceOf(TrialCapExceededException.class);
        assertThat(memory.withMaxTrials(3).planNextTrial("run-1").attempt()).isEqualTo(3);
    }

    @Test
    void theCapCountsPerRunSoLessonsCarryIntoTheNextRun() {
        TaskMemory memory = TaskMemory.create(KEY, 2)
                .recordTrial("run-1", trajectory("a", "b"), FAILED)
                .recordReflection(Reflection.enforced(1, "use c", call("c"), 1))
                .recordTrial("run-1", trajectory("a", "c", "d"), FAILED);

        TrialPlan plan = memory.planNextTrial("run-2");

        assertThat(plan.attempt()).isEqualTo(1);
        assertThat(plan.forcedActionAt(1)).contains(call("c"));
        assertThat(plan.replay()).extracting(Step::action).containsExactly(call("a"));
    }

    @Test
    void historyKeepsTheLatestRunAndTheTrialsLessonsComeFrom() {
        TaskMemory memory = TaskMemory.create(KEY, 3)
                .recordTrial("run-1", trajectory("a", "b"), FAILED)
                .recordReflection(Reflection.enforced(1, "use c", call("c"), 1))
                .recordTrial("run-1", trajectory("a", "c"), TrialOutcome.success())
                .recordTrial("run-2", trajectory("a", "c"), TrialOutcome.success());

        assertThat(memory.trials()).extracting(Trial::number).containsExactly(1, 3);
        assertThat(memory.trialsRecorded()).isEqualTo(3);
        assertThat(memory.lastTrial().orElseThrow().runId()).isEqualTo("run-2");
        assertThat(memory.planNextTrial("run-2").replay()).extracting(Step::action).containsExactly(call("a"));
    }

    @Test
    void operationsReturnCopiesAndLeaveTheOriginalAlone() {
        TaskMemory before = failedOnce("a", "b");
        TaskMemory after = before.recordReflection(Reflection.enforced(1, "use c", call("c"), 1));

        assertThat(before.corrections()).isEmpty();
        assertThat(after.corrections()).hasSize(1);
        assertThat(before.planNextTrial("run-1").attempt()).isEqualTo(2);
        assertThat(before.trials()).hasSize(1);
    }

    @Test
    void inconsistentStateIsRefusedWhenBuilt() {
        Reflection fromMissingTrial = Reflection.enforced(0, "x", call("z"), 4);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new TaskMemory(KEY, 1, 3, 4, ImmutableList.of(),
                        ImmutableList.of(new StepCorrection(fromMissingTrial, ImmutableSet.of()))))
                .withMessageContaining("comes from trial 4, which the memory does not hold");
        Trial two = new Trial(2, "r", ImmutableList.of(), FAILED);
        Trial one = new Trial(1, "r", ImmutableList.of(), FAILED);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new TaskMemory(KEY, 1, 3, 2, ImmutableList.of(two, one), ImmutableList.of()))
                .withMessageContaining("increasing number order but 1 follows 2");
        assertThatIllegalArgumentException().isThrownBy(() -> TaskMemory.create(KEY, 0))
                .withMessageContaining("maxTrials of task 'shop/buyer/checkout' must be in 1..100 but was 0");
    }
}
