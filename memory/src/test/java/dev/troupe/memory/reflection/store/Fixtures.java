package dev.troupe.memory.reflection.store;

import dev.troupe.memory.reflection.ActionCall;
import dev.troupe.memory.reflection.FailureReason;
import dev.troupe.memory.reflection.Reflection;
import dev.troupe.memory.reflection.Step;
import dev.troupe.memory.reflection.StepStatus;
import dev.troupe.memory.reflection.TaskKey;
import dev.troupe.memory.reflection.TaskMemory;
import dev.troupe.memory.reflection.TrialOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Task memories the store tests write, shared with the child JVMs they spawn. */
final class Fixtures {
    static final TrialOutcome FAILED = TrialOutcome.failure(FailureReason.ERROR, "boom");

    private Fixtures() {}

    /** A memory using every feature the store must keep: JSON arguments, Unicode, all outcomes and flags. */
    static TaskMemory richMemory(TaskKey key) {
        ActionCall open = ActionCall.of("open");
        ActionCall openCatalogue = ActionCall.of("open", "{\"page\": \"catalogue\"}");
        ActionCall search = ActionCall.of("search_for_shop",
                "{\"query\": \"blue mug\", \"filters\": {\"price\": [1, 2.5], \"inStock\": true, \"note\": null}}");
        ActionCall skuSearch = ActionCall.of("search_for_shop", "{\"sku\": \"MUG-42\"}");
        return TaskMemory.create(key, 4)
                .recordTrial("run-1", List.of(
                        Step.of(0, "home page — «ünïcode» ✓", open, "200 OK", StepStatus.OK),
                        Step.of(1, "", search, "{\"items\": []}\nline 2 'single' \"double\"", StepStatus.FAILED),
                        Step.of(2, "results", ActionCall.of("click", "{\"id\": 7}"), "", StepStatus.SKIPPED)),
                        TrialOutcome.failure(FailureReason.JUDGE_REJECTED, "the judge said: \"no mug\""))
                .recordReflection(Reflection.enforced(0, "start from the catalogue", openCatalogue, 1))
                .recordTrial("run-1", List.of(
                        Step.of(0, "catalogue", openCatalogue, "200 OK", StepStatus.OK),
                        Step.of(1, "catalogue", search, "nothing", StepStatus.FAILED)),
                        TrialOutcome.failure(FailureReason.CYCLE, "back on the catalogue"))
                .recordReflection(Reflection.enforced(1, "search by SKU 'MUG-42', not by colour", skuSearch, 2))
                .recordTrial("run-1", List.of(
                        new Step(0, "catalogue", openCatalogue, "200 OK", StepStatus.OK, true),
                        Step.of(1, "catalogue", skuSearch, "timeout", StepStatus.FAILED)),
                        TrialOutcome.failure(FailureReason.STEP_CAP, ""))
                .recordReflection(Reflection.advisory(1, "use the catalogue API", ActionCall.of("catalogue_api"), 3))
                .recordTrial("run-2", List.of(
                        new Step(0, "catalogue", openCatalogue, "200 OK", StepStatus.OK, true),
                        Step.of(1, "catalogue", ActionCall.of("catalogue_api"), "{\"mug\": \"MUG-42\"}", StepStatus.OK)),
                        TrialOutcome.success());
    }

    /** A memory with one failed trial and a lesson at step 1. */
    static TaskMemory failedWithLesson(TaskKey key, String lesson) {
        return TaskMemory.create(key, 3)
                .recordTrial("run-1", List.of(
                        Step.of(0, "start", ActionCall.of("open"), "ok", StepStatus.OK),
                        Step.of(1, "page", ActionCall.of("click", "{\"id\": 1}"), "404", StepStatus.FAILED)), FAILED)
                .recordReflection(Reflection.enforced(1, lesson, ActionCall.of("click", "{\"id\": 2}"), 1));
    }

    /**
     * One writer's n-th change: a failed one-step trial in a run of its own, and a lesson at step 0.
     * Every such change adds one to the trial counter and one action to step 0's disabled set, so
     * after any interleaving both count exactly the changes that were applied.
     */
    static UnaryOperator<TaskMemory> failAndLearn(String writer, int n) {
        return m -> {
            TaskMemory tried = m.recordTrial(writer + "/run-" + n,
                    List.of(Step.of(0, "start", ActionCall.of("act-" + writer + "-" + n), "failed", StepStatus.FAILED)), FAILED);
            return tried.recordReflection(Reflection.enforced(0, "lesson from " + writer + " #" + n, ActionCall.of("fix"),
                    tried.trialsRecorded()));
        };
    }

    /** The actions {@link #failAndLearn} disables for these writers doing {@code count} changes each. */
    static List<ActionCall> actionsOf(List<String> writers, int count) {
        List<ActionCall> actions = new ArrayList<>();
        for (String w : writers) {
            for (int n = 0; n < count; n++) {
                actions.add(ActionCall.of("act-" + w + "-" + n));
            }
        }
        return actions;
    }

    /** A trial big enough that its rows cannot stay in a small page cache until commit. */
    static TaskMemory withBigTrial(TaskMemory m, String runId) {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            steps.add(Step.of(i, "state " + i, ActionCall.of("act", "{\"i\": " + i + "}"), "x".repeat(4000),
                    i == 299 ? StepStatus.FAILED : StepStatus.OK));
        }
        TaskMemory tried = m.recordTrial(runId, steps, FAILED);
        return tried.recordReflection(Reflection.enforced(5, "big lesson", ActionCall.of("other"), tried.trialsRecorded()));
    }
}
