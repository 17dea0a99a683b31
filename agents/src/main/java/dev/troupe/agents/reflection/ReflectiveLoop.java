package dev.troupe.agents.reflection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.troupe.agents.action.Action;
import dev.troupe.agents.action.ActionTool;
import dev.troupe.agents.action.CommandRunner;
import dev.troupe.agents.error.ActionFailedException;
import dev.troupe.agents.event.RunEvent;
import dev.troupe.agents.event.RunListener;
import dev.troupe.agents.json.JsonExtractor;
import dev.troupe.agents.json.OutputSchema;
import dev.troupe.agents.model.ModelBackend;
import dev.troupe.agents.model.ModelGateway;
import dev.troupe.agents.planner.DfsdtSearch;
import dev.troupe.agents.planner.ToolBox;
import dev.troupe.memory.reflection.ActionCall;
import dev.troupe.memory.reflection.FailureReason;
import dev.troupe.memory.reflection.Reflection;
import dev.troupe.memory.reflection.TaskKey;
import dev.troupe.memory.reflection.TaskMemory;
import dev.troupe.memory.reflection.TrialOutcome;
import dev.troupe.memory.reflection.TrialPlan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Runs an action's tool use as trials under structured reflection: a trial is planned in stages (or
 * searched with DFSDT) and judged; a failed one is reflected on, the lesson stored, and the next
 * trial replays the steps before the critical one, forces the correction and hides what failed
 * there. Lessons are kept in the {@link dev.troupe.memory.reflection.store.ReflectionStore}, so the
 * next run of the same task starts with them. Steps are numbered from 1 wherever a model or a user
 * sees them (prompts, events, traces); the memory stores them from 0.
 */
public final class ReflectiveLoop {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    static final String JUDGE = "_judge";
    /** How much of a failing test run's output (its end) the reflection is shown. */
    private static final int TEST_OUTPUT_SHOWN = 3_000;
    private static final Pattern FAILING_TEST = Pattern.compile("(?m)^(FAIL|ERROR|FAILED):?\\s+([^\\s(]\\S*)");

    private ReflectiveLoop() {}

    /**
     * The answer of the first trial the judge accepts, planned in stages over {@code available}; fails
     * when the trials run out. An action that writes files also gets {@code write_file}, plans one call
     * per file, and answers with the files its passing trial wrote ({@code {"files": [{path, content}]}}).
     */
    public static String run(Action action, List<ActionTool> available, ReflectionSettings settings, ReflectionScope scope,
                             List<ChatMessage> task,
                             String runId, String role, ModelBackend model, ModelGateway gateway, RunListener listener) {
        TrialContext ctx = new TrialContext(runId, role, action.name(), model, gateway, listener, new AtomicInteger());
        List<ActionTool> tools = new ArrayList<>(available);
        if (action.writesFiles()) {
            tools.add(new WorkspaceFileTool(scope.workspace().orElseThrow(() -> new ActionFailedException(role, action.name(),
                    "this action writes files but the run has no workspace; set Team.builder().workspace(...) or --workspace"))));
        }
        Map<String, ActionTool> byName = new LinkedHashMap<>();
        tools.forEach(t -> byName.putIfAbsent(t.name(), t));
        StagedPlanner planner = new StagedPlanner(ctx, task, new ToolBox(tools, runId, role, action.name(), listener), byName,
                settings.maxSteps());
        TrialRun passed = trials(action, settings, scope, ctx, task, planner, new Reflector(ctx, task, byName.values()));
        return action.writesFiles() ? WorkspaceFileTool.filesWritten(passed.steps()).toPrettyString() : passed.answer().orElseThrow();
    }

    /**
     * DFSDT searches as trials: a search that ends without {@code give_answer} (tree or budget spent)
     * is reflected on along the longest path it explored, and the next search replays that path up to
     * the critical step, takes the correction there, and searches on from it.
     */
    public static DfsdtSearch.Result search(Action action, DfsdtSearch search, List<ActionTool> available, ReflectionSettings settings,
                                            ReflectionScope scope, List<ChatMessage> start,
                                            String runId, String role, ModelBackend model, ModelGateway gateway, RunListener listener) {
        TrialContext ctx = new TrialContext(runId, role, action.name(), model, gateway, listener, search.requestCounter());
        List<DfsdtSearch.Result> found = new ArrayList<>();
        TrialRunner searches = plan -> switch (search.search(start, plan)) {
            case DfsdtSearch.Outcome.Answered a -> {
                found.add(a.result());
                yield TrialRun.answered(a.path(), a.result().answer());
            }
            case DfsdtSearch.Outcome.Exhausted e -> TrialRun.failed(e.longestPath(), e.reason(), e.detail());
        };
        Map<String, ActionTool> byName = new LinkedHashMap<>();
        available.forEach(t -> byName.putIfAbsent(t.name(), t));
        trials(action, settings, scope, ctx, start, searches, new Reflector(ctx, start, byName.values()));
        return found.getLast();
    }

    /** Runs trials until the judge accepts one (returned) or the run's trials are spent (an {@link ActionFailedException}). */
    private static TrialRun trials(Action action, ReflectionSettings settings, ReflectionScope scope, TrialContext ctx,
                                   List<ChatMessage> task, TrialRunner runner, Reflector reflector) {
        String runId = ctx.runId();
        String role = ctx.role();
        RunListener listener = ctx.listener();
        TaskKey key = settings.key().map(TaskKey::of)
                .orElseGet(() -> TaskKey.derive(scope.team(), role, action.name(), scope.requirement()));

        TaskMemory memory = scope.store().update(key, settings.maxTrials(), m -> m.withMaxTrials(settings.maxTrials()));
        if (!memory.lessons().isEmpty()) {
            listener.on(new RunEvent.LessonsLoaded(runId, Instant.now(), role, action.name(), key.value(),
                    memory.lessons().stream().map(r -> "step " + (r.stepIndex() + 1) + ": " + r.lesson()).toList()));
        }
        while (true) {
            TrialPlan plan = memory.planNextTrial(runId);
            TrialRun trial = runner.run(plan);
            String verdict = trial.answer().isPresent() ? judge(settings, action, scope, ctx, task, trial.answer().get(), trial) : null;
            boolean passed = trial.answer().isPresent() && verdict == null;
            TrialOutcome outcome = passed ? TrialOutcome.success()
                    : trial.answer().isPresent() ? TrialOutcome.failure(FailureReason.JUDGE_REJECTED, verdict)
                    : TrialOutcome.failure(trial.failure(), trial.detail());
            String why = passed ? "" : trial.answer().isPresent() ? "The judge rejected the answer: " + verdict : trial.detail();
            memory = scope.store().update(key, settings.maxTrials(), m -> m.recordTrial(runId, trial.steps(), outcome));
            int number = memory.trialsRecorded();
            listener.on(new RunEvent.TrialEnded(runId, Instant.now(), role, action.name(), plan.attempt(), number,
                    trial.steps().size(), passed, passed ? "" : outcome.toString(), why));
            if (passed) {
                return trial;
            }
            if (!memory.canStartTrial(runId)) {
                throw new ActionFailedException(role, action.name(), "no trial succeeded within " + settings.maxTrials()
                        + " trials; the last failed because: " + why + ". Lessons are kept under task key '" + key.value() + "'.");
            }
            memory = reflectAndStore(reflector, scope, key, settings, number, trial, why, memory, listener, runId, role, action.name());
        }
    }

    private static TaskMemory reflectAndStore(Reflector reflector, ReflectionScope scope, TaskKey key, ReflectionSettings settings,
                                              int trialNumber, TrialRun trial, String why, TaskMemory memory,
                                              RunListener listener, String runId, String role, String action) {
        String problem = "";
        for (int attempt = 0; attempt < 3; attempt++) {
            Reflection r = reflector.reflect(trialNumber, trial.steps(), why, memory.lessons(), problem);
            problem = unusable(r, trial, memory);
            if (!problem.isEmpty()) {
                continue;
            }
            try {
                TaskMemory saved = scope.store().update(key, settings.maxTrials(), m -> m.recordReflection(r));
                listener.on(new RunEvent.Reflected(runId, Instant.now(), role, action, trialNumber, r.stepIndex() + 1, r.lesson(),
                        r.correctedAction().toString()));
                return saved;
            } catch (IllegalArgumentException rejected) {
                problem = rejected.getMessage();
            }
        }
        throw new ActionFailedException(role, action, "the reflection after trial " + trialNumber + " could not be used: " + problem);
    }

    /**
     * Why the memory would refuse {@code r}, in the numbering the model was shown (from 1), so the
     * model can correct itself; empty when it is usable.
     */
    private static String unusable(Reflection r, TrialRun trial, TaskMemory memory) {
        int length = trial.steps().size();
        int shown = r.stepIndex() + 1;
        if (r.stepIndex() > length) {
            return "you named step " + shown + " but the attempt has " + length + " steps; name one of steps 1.." + length
                    + ", or " + (length + 1) + " for the action that should have followed the last one";
        }
        Set<ActionCall> failedThere = new LinkedHashSet<>();
        memory.correctionAt(r.stepIndex()).ifPresent(c -> failedThere.addAll(c.disabledActions()));
        if (r.stepIndex() < length) {
            failedThere.add(trial.steps().get(r.stepIndex()).action());
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
    private static String judge(ReflectionSettings settings, Action action, ReflectionScope scope, TrialContext ctx,
                                List<ChatMessage> task, String answer, TrialRun trial) {
        return switch (settings.judge()) {
            case SCHEMA -> {
                if (action.schema().isEmpty()) {
                    yield answer.isBlank() ? "the answer is empty" : null;
                }
                var json = JsonExtractor.extract(answer);
                var errors = json.map(j -> action.schema().get().validate(j)).orElse(com.google.common.collect.ImmutableList.of(
                        "the answer contains no JSON value"));
                yield errors.isEmpty() ? null : String.join("; ", errors);
            }
            case TOOLS -> trial.steps().stream().anyMatch(s -> s.status() == dev.troupe.memory.reflection.StepStatus.FAILED)
                    ? "a tool call failed on the way: " + trial.steps().stream()
                            .filter(s -> s.status() == dev.troupe.memory.reflection.StepStatus.FAILED).findFirst()
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
                ObjectNode schema = F.objectNode().put("type", "object");
                schema.putArray("required").add("pass").add("reason");
                schema.putObject("properties").set("pass", F.objectNode().put("type", "boolean"));
                ((ObjectNode) schema.get("properties")).putObject("reason").put("type", "string");
                List<ChatMessage> prompt = new ArrayList<>(task);
                prompt.add(UserMessage.from("## Proposed answer\n" + answer + "\n\n## Steps taken\n" + StagedPlanner.describe(trial.steps())
                        + "\nDoes this answer fully and correctly solve the task? Reply {\"pass\": true|false, \"reason\": \"…\"}."));
                JsonNode verdict = StructuredAsk.ask(ctx, JUDGE, prompt, OutputSchema.of(schema, "the judge"), t -> java.util.Optional.empty());
                yield verdict.path("pass").asBoolean() ? null : verdict.path("reason").asText("rejected");
            }
        };
    }
}
