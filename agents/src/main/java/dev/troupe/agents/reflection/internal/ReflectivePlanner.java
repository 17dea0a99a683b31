package dev.troupe.agents.reflection.internal;

import dev.troupe.agents.reflection.ReflectionSettings;
import static com.google.common.base.Preconditions.checkArgument;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableList;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.troupe.agents.command.internal.CommandRunner;
import dev.troupe.agents.error.ActionFailedException;
import dev.troupe.agents.event.RunEvent;
import dev.troupe.agents.event.RunListener;
import dev.troupe.agents.json.internal.JsonExtractor;
import dev.troupe.agents.json.OutputSchema;
import dev.troupe.agents.planner.internal.Attempt;
import dev.troupe.agents.planner.internal.Planner;
import dev.troupe.agents.planner.internal.PlannerContext;
import dev.troupe.agents.planner.internal.StagedPlanner;
import dev.troupe.agents.planner.internal.StructuredAsk;
import dev.troupe.memory.reflection.ActionCall;
import dev.troupe.memory.reflection.FailureReason;
import dev.troupe.memory.reflection.Reflection;
import dev.troupe.memory.reflection.Step;
import dev.troupe.memory.reflection.StepStatus;
import dev.troupe.memory.reflection.TaskKey;
import dev.troupe.memory.reflection.TaskMemory;
import dev.troupe.memory.reflection.TrialOutcome;
import dev.troupe.memory.reflection.TrialPlan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Structured reflection around any {@link Planner}: each trial is one attempt of the wrapped planner
 * under a {@link TrialPlan}, judged; a failed one is reflected on, the lesson stored, and the next
 * trial replays the steps before the critical one, forces the correction and hides what failed
 * there. Lessons are kept in the {@link dev.troupe.memory.reflection.store.ReflectionStore}, so the
 * next run of the same task starts with them. Steps are numbered from 1 wherever a model or a user
 * sees them (prompts, events, traces); the memory stores them from 0.
 */
public final class ReflectivePlanner implements Planner {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    static final String JUDGE = "_judge";
    /** How much of a failing test run's output (its end) the reflection is shown. */
    private static final int TEST_OUTPUT_SHOWN = 3_000;
    private static final Pattern FAILING_TEST = Pattern.compile("(?m)^(FAIL|ERROR|FAILED):?\\s+([^\\s(]\\S*)");

    private final Planner trials;
    private final PlannerContext ctx;
    private final ReflectionSettings settings;
    private final ReflectionScope scope;
    private final Optional<OutputSchema> schema;

    /**
     * Runs {@code trials} as the trials of the action {@code ctx} names; {@code schema} is the
     * action's output schema, for the SCHEMA judge.
     */
    public ReflectivePlanner(Planner trials, PlannerContext ctx, ReflectionSettings settings, ReflectionScope scope,
                             Optional<OutputSchema> schema) {
        this.trials = trials;
        this.ctx = ctx;
        this.settings = settings;
        this.scope = scope;
        this.schema = schema;
    }

    /**
     * The first trial the judge accepts; when the run's trials are spent, an {@link Attempt.Exhausted}
     * that says why the last one failed and where its lessons are kept.
     */
    @Override
    public Attempt attempt(List<ChatMessage> task, Optional<TrialPlan> outer) {
        checkArgument(outer.isEmpty(), "structured reflection plans its own trials; it does not run as another's trial");
        String runId = ctx.runId();
        String role = ctx.role();
        String action = ctx.action();
        RunListener listener = ctx.listener();
        Reflector reflector = new Reflector(ctx, task, ctx.tools().tools());
        TaskKey key = settings.key().map(TaskKey::of)
                .orElseGet(() -> TaskKey.derive(scope.team(), role, action, scope.requirement()));

        TaskMemory memory = scope.store().update(key, settings.maxTrials(), m -> m.withMaxTrials(settings.maxTrials()));
        if (!memory.lessons().isEmpty()) {
            listener.on(new RunEvent.LessonsLoaded(runId, Instant.now(), role, action, key.value(),
                    memory.lessons().stream().map(r -> "step " + (r.stepIndex() + 1) + ": " + r.lesson()).toList()));
        }
        while (true) {
            TrialPlan plan = memory.planNextTrial(runId);
            Attempt trial = trials.attempt(task, Optional.of(plan));
            Optional<String> answer = trial instanceof Attempt.Answered a ? Optional.of(a.answer()) : Optional.empty();
            String verdict = answer.isPresent() ? judge(task, answer.get(), trial.steps()) : null;
            boolean passed = answer.isPresent() && verdict == null;
            TrialOutcome outcome = switch (trial) {
                case Attempt.Answered a -> passed ? TrialOutcome.success() : TrialOutcome.failure(FailureReason.JUDGE_REJECTED, verdict);
                case Attempt.Exhausted e -> TrialOutcome.failure(e.reason(), e.detail());
            };
            String why = switch (trial) {
                case Attempt.Answered a -> passed ? "" : "The judge rejected the answer: " + verdict;
                case Attempt.Exhausted e -> e.detail();
            };
            memory = scope.store().update(key, settings.maxTrials(), m -> m.recordTrial(runId, trial.steps(), outcome));
            int number = memory.trialsRecorded();
            listener.on(new RunEvent.TrialEnded(runId, Instant.now(), role, action, plan.attempt(), number,
                    trial.steps().size(), passed, passed ? "" : outcome.toString(), why));
            if (passed) {
                return trial;
            }
            if (!memory.canStartTrial(runId)) {
                FailureReason last = outcome instanceof TrialOutcome.Failure f ? f.reason() : FailureReason.ERROR;
                return new Attempt.Exhausted(trial.steps(), last, "no trial succeeded within "
                        + settings.maxTrials() + " trials; the last failed because: " + why + ". Lessons are kept under task key '"
                        + key.value() + "'.");
            }
            memory = reflectAndStore(reflector, key, number, trial.steps(), why, memory);
        }
    }

    private TaskMemory reflectAndStore(Reflector reflector, TaskKey key, int trialNumber, List<Step> steps, String why,
                                       TaskMemory memory) {
        String problem = "";
        for (int attempt = 0; attempt < 3; attempt++) {
            Reflection r = reflector.reflect(trialNumber, steps, why, memory.lessons(), problem);
            problem = unusable(r, steps, memory);
            if (!problem.isEmpty()) {
                continue;
            }
            try {
                TaskMemory saved = scope.store().update(key, settings.maxTrials(), m -> m.recordReflection(r));
                ctx.listener().on(new RunEvent.Reflected(ctx.runId(), Instant.now(), ctx.role(), ctx.action(), trialNumber, r.stepIndex() + 1, r.lesson(),
                        r.correctedAction().toString()));
                return saved;
            } catch (IllegalArgumentException rejected) {
                problem = rejected.getMessage();
            }
        }
        throw new ActionFailedException(ctx.role(), ctx.action(), "the reflection after trial " + trialNumber + " could not be used: " + problem);
    }

    /**
     * Why the memory would refuse {@code r}, in the numbering the model was shown (from 1), so the
     * model can correct itself; empty when it is usable.
     */
    private static String unusable(Reflection r, List<Step> steps, TaskMemory memory) {
        int length = steps.size();
        int shown = r.stepIndex() + 1;
        if (r.stepIndex() > length) {
            return "you named step " + shown + " but the attempt has " + length + " steps; name one of steps 1.." + length
                    + ", or " + (length + 1) + " for the action that should have followed the last one";
        }
        Set<ActionCall> failedThere = new LinkedHashSet<>();
        memory.correctionAt(r.stepIndex()).ifPresent(c -> failedThere.addAll(c.disabledActions()));
        if (r.stepIndex() < length) {
            failedThere.add(steps.get(r.stepIndex()).action());
        }
        return failedThere.contains(r.correctedAction())
                ? "your corrected action " + r.correctedAction() + " already failed at step " + shown + "; name a different action"
                : "";
    }

    /** ": FAIL test_a, ERROR test_b" from unittest's or pytest's report lines, so a one-line summary names them; else "". */
    private static String failingTests(String output) {
        List<String> failing = FAILING_TEST.matcher(output).results().map(m -> m.group(1) + " " + m.group(2)).distinct().toList();
        return failing.isEmpty() ? "" : ": " + String.join(", ", failing);
    }

    /** Null when the answer passes; otherwise why not. */
    private String judge(List<ChatMessage> task, String answer, List<Step> steps) {
        return switch (settings.judge()) {
            case SCHEMA -> {
                if (schema.isEmpty()) {
                    yield answer.isBlank() ? "the answer is empty" : null;
                }
                var json = JsonExtractor.extract(answer);
                var errors = json.map(j -> schema.get().validate(j)).orElse(ImmutableList.of(
                        "the answer contains no JSON value"));
                yield errors.isEmpty() ? null : String.join("; ", errors);
            }
            case TOOLS -> steps.stream().anyMatch(s -> s.status() == StepStatus.FAILED)
                    ? "a tool call failed on the way: " + steps.stream()
                            .filter(s -> s.status() == StepStatus.FAILED).findFirst()
                            .map(s -> "step " + (s.index() + 1) + " " + s.action() + " → " + StagedPlanner.shorten(s.observation())).orElse("")
                    : answer.isBlank() ? "the answer is empty" : null;
            case TESTS -> {
                var ws = scope.workspace().orElseThrow(() -> new ActionFailedException(ctx.role(), ctx.action(),
                        "the tests judge needs a workspace"));
                ObjectNode result = CommandRunner.run(settings.tests().orElseThrow(), ws, ctx.role(), ctx.action());
                // The end of a test run's output holds the failures and their tracebacks, which the reflection needs.
                String output = result.path("output").asText();
                yield result.path("passed").asBoolean() ? null
                        : "the tests failed (exit " + result.path("exitCode").asInt() + ")" + failingTests(output) + ":\n"
                                + (output.length() <= TEST_OUTPUT_SHOWN ? output : "…" + output.substring(output.length() - TEST_OUTPUT_SHOWN));
            }
            case LLM -> {
                ObjectNode verdictSchema = F.objectNode().put("type", "object");
                verdictSchema.putArray("required").add("pass").add("reason");
                verdictSchema.putObject("properties").set("pass", F.objectNode().put("type", "boolean"));
                ((ObjectNode) verdictSchema.get("properties")).putObject("reason").put("type", "string");
                List<ChatMessage> prompt = new ArrayList<>(task);
                prompt.add(UserMessage.from("## Proposed answer\n" + answer + "\n\n## Steps taken\n" + StagedPlanner.describe(steps)
                        + "\nDoes this answer fully and correctly solve the task? Reply {\"pass\": true|false, \"reason\": \"…\"}."));
                JsonNode verdict = StructuredAsk.ask(ctx, JUDGE, prompt, OutputSchema.of(verdictSchema, "the judge"), t -> Optional.empty());
                yield verdict.path("pass").asBoolean() ? null : verdict.path("reason").asText("rejected");
            }
        };
    }
}
