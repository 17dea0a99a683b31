package dev.troupe.memory.reflection;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.troupe.memory.error.TrialCapExceededException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything remembered about one task, with the structured-reflection rules of Li et al. 2023
 * (arXiv 2310.08740) as pure operations that return a changed copy:
 * <ul>
 *   <li>{@link #recordReflection}: a reflection at step i replaces the one at i, clears every
 *       correction after i, and adds the action that failed at i to i's disabled set;</li>
 *   <li>{@link #planNextTrial}: replay the steps before the critical step, force the corrected
 *       action there, hide the disabled actions;</li>
 *   <li>trials are capped at {@code maxTrials} per run; lessons outlive runs.</li>
 * </ul>
 *
 * @param version        the store version this state was loaded from or saved as; 0 if never saved
 * @param trialsRecorded how many trials were ever recorded (the last trial number); older trials
 *                       are dropped once no lesson needs them, so this can exceed {@code trials.size()}
 * @param trials         the trials of the latest run, plus any older trial a lesson comes from
 * @param corrections    one per step that has a lesson, in step order
 */
public record TaskMemory(TaskKey key, long version, int maxTrials, int trialsRecorded, ImmutableList<Trial> trials,
                         ImmutableList<StepCorrection> corrections) {

    /** A sanity bound: a task that needs more trials than this per run needs a different plan. */
    public static final int MAX_TRIALS_LIMIT = 100;

    public TaskMemory {
        Objects.requireNonNull(key, "task key must not be null");
        checkArgument(version >= 0, "version of task '%s' must be >= 0 but was %s", key, version);
        checkArgument(maxTrials >= 1 && maxTrials <= MAX_TRIALS_LIMIT, "maxTrials of task '%s' must be in 1..%s but was %s",
                key, MAX_TRIALS_LIMIT, maxTrials);
        Objects.requireNonNull(trials, () -> "trials of task '" + key + "' must not be null");
        Objects.requireNonNull(corrections, () -> "corrections of task '" + key + "' must not be null");
        int previous = 0;
        for (Trial t : trials) {
            checkArgument(t.number() > previous, "trials of task '%s' must be in increasing number order but %s follows %s",
                    key, t.number(), previous);
            previous = t.number();
        }
        checkArgument(trialsRecorded >= previous, "task '%s' counts %s recorded trials but holds trial %s",
                key, trialsRecorded, previous);
        int previousStep = -1;
        for (StepCorrection c : corrections) {
            checkArgument(c.stepIndex() > previousStep, "corrections of task '%s' must be in increasing step order but step %s follows %s",
                    key, c.stepIndex(), previousStep);
            previousStep = c.stepIndex();
            int from = c.reflection().fromTrial();
            checkArgument(trials.stream().anyMatch(t -> t.number() == from),
                    "the lesson on step %s of task '%s' comes from trial %s, which the memory does not hold", c.stepIndex(), key, from);
        }
    }

    /** An empty memory for a task never tried before. */
    public static TaskMemory create(TaskKey key, int maxTrials) {
        return new TaskMemory(key, 0, maxTrials, 0, ImmutableList.of(), ImmutableList.of());
    }

    /** This memory under a new trial cap (when the role's configuration changed). */
    public TaskMemory withMaxTrials(int newMaxTrials) {
        return new TaskMemory(key, version, newMaxTrials, trialsRecorded, trials, corrections);
    }

    /** This memory as a store saved it, under {@code newVersion}. */
    public TaskMemory withVersion(long newVersion) {
        return new TaskMemory(key, newVersion, maxTrials, trialsRecorded, trials, corrections);
    }

    /** The lessons for the next trial or run, in step order. */
    public ImmutableList<Reflection> lessons() {
        return corrections.stream().map(StepCorrection::reflection).collect(ImmutableList.toImmutableList());
    }

    public Optional<StepCorrection> correctionAt(int stepIndex) {
        return corrections.stream().filter(c -> c.stepIndex() == stepIndex).findFirst();
    }

    public Optional<Trial> trial(int number) {
        return trials.stream().filter(t -> t.number() == number).findFirst();
    }

    public Optional<Trial> lastTrial() {
        return trials.isEmpty() ? Optional.empty() : Optional.of(trials.getLast());
    }

    /** How many trials {@code runId} has recorded. */
    public int trialsInRun(String runId) {
        checkRunId(runId);
        return (int) trials.stream().filter(t -> t.runId().equals(runId)).count();
    }

    /** Whether {@code runId} may run another trial under the cap. */
    public boolean canStartTrial(String runId) {
        return trialsInRun(runId) < maxTrials;
    }

    /**
     * How to run the next trial of {@code runId}: the steps to replay before the critical step,
     * the forced action and the disabled actions per step, and the lessons.
     *
     * @throws TrialCapExceededException when the run has used all its trials
     */
    public TrialPlan planNextTrial(String runId) {
        checkCap(runId);
        ImmutableList<Step> replay = ImmutableList.of();
        if (!corrections.isEmpty()) {
            StepCorrection critical = corrections.getLast();
            // The constructor guarantees the trial a lesson comes from is held.
            Trial source = trial(critical.reflection().fromTrial()).orElseThrow();
            replay = source.steps().subList(0, Math.min(critical.stepIndex(), source.steps().size()));
        }
        return new TrialPlan(key, runId, trialsInRun(runId) + 1, maxTrials, replay, corrections);
    }

    /**
     * Records a finished trial of {@code runId} as trial number {@code trialsRecorded() + 1}.
     * Trials of earlier runs that no lesson comes from are dropped.
     *
     * @throws TrialCapExceededException when the run has already recorded {@code maxTrials} trials
     */
    public TaskMemory recordTrial(String runId, List<Step> steps, TrialOutcome outcome) {
        checkCap(runId);
        Objects.requireNonNull(steps, "steps must not be null");
        Trial trial = new Trial(trialsRecorded + 1, runId, ImmutableList.copyOf(steps), outcome);
        ImmutableList<Trial> withTrial = ImmutableList.<Trial>builder().addAll(trials).add(trial).build();
        return pruned(trialsRecorded + 1, withTrial, corrections);
    }

    /**
     * Records what a reflection on a failed trial concluded, by the paper's rules: the correction at
     * its step replaces the one there; every correction after that step is cleared (its lesson was
     * learnt on a trajectory that will no longer happen); the action the trial took at that step
     * joins the step's disabled set, which keeps the actions that failed there before.
     *
     * @throws IllegalArgumentException when the reflection's trial is unknown or succeeded, its step
     *         is beyond the trial, or its corrected action already failed at that step
     */
    public TaskMemory recordReflection(Reflection reflection) {
        Objects.requireNonNull(reflection, "reflection must not be null");
        int i = reflection.stepIndex();
        Trial source = trial(reflection.fromTrial()).orElseThrow(() -> new IllegalArgumentException(
                "the reflection on step " + i + " of task '" + key + "' comes from trial " + reflection.fromTrial()
                        + ", which this memory does not hold (it holds trials " + trialNumbers() + ")"));
        checkArgument(!source.succeeded(), "the reflection on step %s of task '%s' comes from trial %s, which succeeded; "
                + "reflections explain failed trials", i, key, source.number());
        int length = source.steps().size();
        checkArgument(i <= length, "the reflection names step %s but trial %s of task '%s' has %s steps; name one of steps 0..%s, "
                + "or %s for the action that should have followed the last one", i, source.number(), key, length, length - 1, length);

        Set<ActionCall> disabled = new LinkedHashSet<>(
                correctionAt(i).map(StepCorrection::disabledActions).orElse(ImmutableSet.of()));
        if (i < length) {
            disabled.add(source.steps().get(i).action());
        }
        if (disabled.contains(reflection.correctedAction())) {
            throw new IllegalArgumentException("the reflection on step " + i + " of task '" + key + "' corrects it to "
                    + reflection.correctedAction() + ", which already failed at that step (disabled there: " + disabled
                    + "); ask for a different action");
        }
        ImmutableList<StepCorrection> kept = ImmutableList.<StepCorrection>builder()
                .addAll(corrections.stream().filter(c -> c.stepIndex() < i).toList())
                .add(new StepCorrection(reflection, ImmutableSet.copyOf(disabled)))
                .build();
        return pruned(trialsRecorded, trials, kept);
    }

    /**
     * Keeps the latest run's trials and the trials lessons come from, so the stored history stays
     * bounded while every replay source survives.
     */
    private TaskMemory pruned(int recorded, ImmutableList<Trial> allTrials, ImmutableList<StepCorrection> kept) {
        String latestRun = allTrials.isEmpty() ? "" : allTrials.getLast().runId();
        Set<Integer> referenced = new LinkedHashSet<>();
        kept.forEach(c -> referenced.add(c.reflection().fromTrial()));
        ImmutableList<Trial> keptTrials = allTrials.stream()
                .filter(t -> t.runId().equals(latestRun) || referenced.contains(t.number()))
                .collect(ImmutableList.toImmutableList());
        return new TaskMemory(key, version, maxTrials, recorded, keptTrials, kept);
    }

    private void checkCap(String runId) {
        if (!canStartTrial(runId)) {
            throw new TrialCapExceededException(key.value(), runId, maxTrials);
        }
    }

    private static void checkRunId(String runId) {
        checkArgument(runId != null && !runId.isBlank(), "runId must not be blank but was '%s'", runId);
    }

    private List<Integer> trialNumbers() {
        return trials.stream().map(Trial::number).toList();
    }
}
