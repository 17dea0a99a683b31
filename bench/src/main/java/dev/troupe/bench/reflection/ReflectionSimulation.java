package dev.troupe.bench.reflection;

import dev.troupe.memory.reflection.ActionCall;
import dev.troupe.memory.reflection.FailureReason;
import dev.troupe.memory.reflection.Reflection;
import dev.troupe.memory.reflection.Step;
import dev.troupe.memory.reflection.StepStatus;
import dev.troupe.memory.reflection.TaskKey;
import dev.troupe.memory.reflection.TaskMemory;
import dev.troupe.memory.reflection.TrialOutcome;
import dev.troupe.memory.reflection.TrialPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A simulation, not a measurement of a model: deterministic multi-step tasks and a simulated
 * planner that errs at each step with probability p but obeys forced actions and disabled sets.
 * It compares no reflection, Reflexion-style reflection (one lesson paragraph prefixed to every
 * prompt, which the planner follows at the step it names with probability {@code follow}) and
 * structured reflection run by Troupe's own {@link TaskMemory} rules (replay before the critical
 * step, force the correction, disable what failed there).
 *
 * <p>Run: {@code java -cp bench/target/troupe-bench.jar dev.troupe.bench.reflection.ReflectionSimulation}
 */
public final class ReflectionSimulation {
    /** Simulation parameters; none is fitted to a result. */
    record Setting(int tasks, int minSteps, int maxSteps, int choices, double errorRate, double reflectorAccuracy,
                   double follow, int maxTrials, long seed) {}

    /** Successes after each trial count, and model calls, for one strategy. */
    record Result(String strategy, int[] solvedBy, long modelCalls, int tasks) {
        double rateAfter(int trials) {
            return 100.0 * solvedBy[trials - 1] / tasks;
        }
    }

    public static void main(String[] args) {
        List<Setting> settings = List.of(
                new Setting(2_000, 3, 8, 4, 0.05, 0.9, 0.5, 5, 1),
                new Setting(2_000, 3, 8, 4, 0.10, 0.9, 0.5, 5, 2),
                new Setting(2_000, 3, 8, 4, 0.20, 0.9, 0.5, 5, 3),
                new Setting(2_000, 3, 8, 4, 0.10, 0.7, 0.5, 5, 4));
        StringBuilder md = new StringBuilder();
        for (Setting s : settings) {
            md.append(String.format(Locale.ROOT, "%n**p = %.2f per step, %d–%d steps, %d choices a step, reflector names the right "
                    + "step %.0f%% of the time, Reflexion lesson followed %.0f%%; %,d tasks, seed %d**%n%n",
                    s.errorRate(), s.minSteps(), s.maxSteps(), s.choices(), 100 * s.reflectorAccuracy(), 100 * s.follow(),
                    s.tasks(), s.seed()));
            md.append("| strategy | success after 1 trial | after 3 | after 5 | model calls |\n|---|---|---|---|---|\n");
            for (Result r : List.of(run(s, Strategy.NONE), run(s, Strategy.REFLEXION), run(s, Strategy.STRUCTURED))) {
                md.append(String.format(Locale.ROOT, "| %s | %.1f%% | %.1f%% | %.1f%% | %,d |%n", r.strategy(), r.rateAfter(1),
                        r.rateAfter(3), r.rateAfter(5), r.modelCalls()));
            }
        }
        System.out.println(md);
    }

    enum Strategy { NONE, REFLEXION, STRUCTURED }

    static Result run(Setting s, Strategy strategy) {
        Random tasksRandom = new Random(s.seed());
        Random planner = new Random(s.seed() * 31 + strategy.ordinal());
        int[] solvedBy = new int[s.maxTrials()];
        long calls = 0;
        for (int t = 0; t < s.tasks(); t++) {
            int n = s.minSteps() + tasksRandom.nextInt(s.maxSteps() - s.minSteps() + 1);
            int[] correct = new int[n];
            for (int i = 0; i < n; i++) {
                correct[i] = tasksRandom.nextInt(s.choices());
            }
            TaskMemory memory = TaskMemory.create(TaskKey.of("sim/" + t), s.maxTrials());
            int lessonStep = -1;   // Reflexion: the step its one lesson paragraph is about
            int solvedAt = 0;
            for (int trial = 1; trial <= s.maxTrials() && solvedAt == 0; trial++) {
                TrialPlan plan = strategy == Strategy.STRUCTURED ? memory.planNextTrial("run") : null;
                List<Step> steps = new ArrayList<>();
                int firstWrong = -1;
                for (int i = 0; i < n; i++) {
                    int action;
                    if (plan != null && i < plan.replay().size()) {
                        action = Integer.parseInt(plan.replay().get(i).action().name().substring(1));   // replayed: no call
                    } else if (plan != null && plan.forcedActionAt(i).isPresent()) {
                        action = Integer.parseInt(plan.forcedActionAt(i).get().name().substring(1));    // forced: no call
                    } else {
                        calls++;
                        boolean heeded = strategy == Strategy.REFLEXION && i == lessonStep && planner.nextDouble() < s.follow();
                        action = heeded ? correct[i] : pick(planner, s, correct[i], plan == null ? List.of() : disabled(plan, i));
                    }
                    if (action != correct[i] && firstWrong < 0) {
                        firstWrong = i;
                    }
                    steps.add(Step.of(i, "state " + i, ActionCall.of("a" + action), "ok", StepStatus.OK));
                }
                boolean success = firstWrong < 0;
                if (strategy == Strategy.STRUCTURED) {
                    memory = memory.recordTrial("run", steps, success ? TrialOutcome.success()
                            : TrialOutcome.failure(FailureReason.JUDGE_REJECTED, "wrong result"));
                }
                if (success) {
                    solvedAt = trial;
                    break;
                }
                calls++;   // the reflection call
                boolean accurate = planner.nextDouble() < s.reflectorAccuracy();
                int named = accurate ? firstWrong : planner.nextInt(n);
                if (strategy == Strategy.REFLEXION) {
                    lessonStep = named;
                } else if (strategy == Strategy.STRUCTURED) {
                    int fix = accurate ? correct[named] : pick(planner, s, correct[named], List.of());
                    try {
                        memory = memory.recordReflection(Reflection.enforced(named, "use a" + fix, ActionCall.of("a" + fix),
                                memory.trialsRecorded()));
                    } catch (IllegalArgumentException alreadyFailedThere) {
                        // A reflection naming an action that already failed at that step is refused; the next trial goes on without it.
                    }
                }
            }
            for (int k = Math.max(solvedAt, 1) - 1; solvedAt > 0 && k < s.maxTrials(); k++) {
                solvedBy[k]++;
            }
        }
        return new Result(strategy.name().toLowerCase(Locale.ROOT).replace("reflexion", "Reflexion-style")
                .replace("structured", "structured reflection").replace("none", "no reflection"), solvedBy, calls, s.tasks());
    }

    private static List<Integer> disabled(TrialPlan plan, int step) {
        return plan.disabledActionsAt(step).stream().map(a -> Integer.parseInt(a.name().substring(1))).toList();
    }

    /** The simulated planner: right with probability 1 − p, else a wrong choice it is still allowed to make. */
    private static int pick(Random r, Setting s, int correct, List<Integer> disabled) {
        if (r.nextDouble() >= s.errorRate()) {
            return correct;
        }
        List<Integer> wrong = new ArrayList<>();
        for (int a = 0; a < s.choices(); a++) {
            if (a != correct && !disabled.contains(a)) {
                wrong.add(a);
            }
        }
        return wrong.isEmpty() ? correct : wrong.get(r.nextInt(wrong.size()));
    }
}
