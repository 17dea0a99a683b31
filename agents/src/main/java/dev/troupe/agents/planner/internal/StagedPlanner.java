package dev.troupe.agents.planner.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.troupe.agents.event.RunEvent;
import dev.troupe.agents.json.OutputSchema;
import dev.troupe.agents.tool.ActionTool;
import dev.troupe.memory.reflection.ActionCall;
import dev.troupe.memory.reflection.FailureReason;
import dev.troupe.memory.reflection.Reflection;
import dev.troupe.memory.reflection.Step;
import dev.troupe.memory.reflection.StepStatus;
import dev.troupe.memory.reflection.TrialPlan;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Staged planning (Li et al. 2023): one model call plans every action it can take on the current
 * state, the plan runs without re-asking, and the planner is asked again when the plan runs out or
 * a step fails. Under a {@link TrialPlan} it first replays the steps before the critical one
 * without asking, forces the corrected action there, and hides each step's disabled actions.
 */
public final class StagedPlanner implements Planner {
    static final String STAGE = "_stage";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final int MAX_DISABLED_PROPOSALS = 2;

    private final PlannerContext ctx;
    private final int maxSteps;
    private final OutputSchema stageSchema;
    private final String toolList;

    /** Plans over {@code ctx}'s tools; a trial fails with STEP_CAP after {@code maxSteps} tool calls. */
    public StagedPlanner(PlannerContext ctx, int maxSteps) {
        this.ctx = ctx;
        this.maxSteps = maxSteps;
        this.stageSchema = OutputSchema.of(stageSchema(ctx.tools().tools().stream().map(ActionTool::name).toList()),
                "the staged planner");
        this.toolList = toolList(ctx.tools().tools());
    }

    @Override
    public Attempt attempt(List<ChatMessage> task, Optional<TrialPlan> trial) {
        List<Step> steps = new ArrayList<>();
        Deque<ActionCall> pending = new ArrayDeque<>();
        String notice = "";
        int disabledProposals = 0;
        while (steps.size() < maxSteps) {
            int k = steps.size();
            ActionCall call;
            String how;
            Optional<Step> cached = Optional.empty();
            List<Step> replay = trial.map(TrialPlan::replay).orElse(ImmutableList.of());
            Optional<ActionCall> forced = trial.flatMap(p -> p.forcedActionAt(k));
            if (k < replay.size()) {
                Step old = replay.get(k);
                call = old.action();
                boolean readOnly = ctx.tools().tool(call.name()).map(ActionTool::readOnly).orElse(false);
                cached = readOnly ? Optional.of(old) : Optional.empty();
                how = readOnly ? "replayed (read-only, cached observation)" : "replayed";
            } else if (forced.isPresent()) {
                call = forced.get();
                how = "forced by reflection";
                pending.clear();
            } else {
                if (pending.isEmpty()) {
                    JsonNode stage = StructuredAsk.ask(ctx, STAGE, stagePrompt(task, trial, steps, notice), stageSchema, t -> Optional.empty());
                    notice = "";
                    for (JsonNode a : stage.path("actions")) {
                        pending.add(new ActionCall(a.path("tool").asText(), a.path("arguments").isObject()
                                ? a.path("arguments") : F.objectNode()));
                    }
                    if (pending.isEmpty()) {
                        String answer = stage.path("answer").asText("");
                        return answer.isBlank()
                                ? new Attempt.Exhausted(steps, FailureReason.NO_CHANGE, "the planner proposed no action and no answer")
                                : new Attempt.Answered(answer, steps, append(task, AiMessage.from(answer)));
                    }
                }
                call = pending.removeFirst();
                how = "planned";
                if (disabledAt(trial, k).contains(call)) {
                    pending.clear();
                    if (++disabledProposals > MAX_DISABLED_PROPOSALS) {
                        return new Attempt.Exhausted(steps, FailureReason.CYCLE, "the planner kept proposing " + call
                                + " at step " + (k + 1) + ", which failed there before");
                    }
                    notice = "At step " + (k + 1) + " you may not use " + call + ": it failed there in an earlier trial.";
                    continue;
                }
            }
            Step step = Steps.take(ctx.tools(), request(call), call, cached, steps, !how.equals("planned") && !how.startsWith("forced"));
            StepStatus status = step.status();
            String observation = step.observation();
            steps.add(step);
            ctx.listener().on(new RunEvent.TrialStep(ctx.runId(), Instant.now(), ctx.role(), ctx.action(),
                    trial.map(TrialPlan::attempt).orElse(1), k + 1, call.toString(), how, status == StepStatus.FAILED, shorten(observation)));
            if (status == StepStatus.FAILED && how.equals("planned")) {
                pending.clear();   // the state is not what the plan assumed: plan again from here
            }
            if (cycles(steps)) {
                return new Attempt.Exhausted(steps, FailureReason.CYCLE, "the same action ran three times in a row: " + call);
            }
        }
        return new Attempt.Exhausted(steps, FailureReason.STEP_CAP, "no answer after " + maxSteps + " steps");
    }

    private static ToolExecutionRequest request(ActionCall call) {
        return ToolExecutionRequest.builder().id("step").name(call.name()).arguments(call.argumentsJson()).build();
    }

    private List<ChatMessage> stagePrompt(List<ChatMessage> task, Optional<TrialPlan> trial, List<Step> steps, String notice) {
        List<ChatMessage> prompt = new ArrayList<>(task);
        StringBuilder sb = new StringBuilder(toolList);
        sb.append(lessons(trial.map(TrialPlan::lessons).orElse(ImmutableList.of())));
        sb.append("## Steps so far\n").append(steps.isEmpty() ? "none\n" : describe(steps));
        int k = steps.size();
        if (!disabledAt(trial, k).isEmpty()) {
            sb.append("\n## Not allowed at step ").append(k + 1).append(" (they failed there before)\n");
            disabledAt(trial, k).forEach(a -> sb.append("- ").append(a).append('\n'));
        }
        if (!notice.isEmpty()) {
            sb.append('\n').append(notice).append('\n');
        }
        sb.append("\nPlan every action you can take now, in order, as {\"actions\": [{\"tool\": …, \"arguments\": {…}}]}."
                + " When you have the final answer, reply {\"actions\": [], \"answer\": \"…\"}.");
        prompt.add(UserMessage.from(sb.toString()));
        return prompt;
    }

    /** The actions the trial may not take at step {@code k}; none outside reflection. */
    private static Set<ActionCall> disabledAt(Optional<TrialPlan> trial, int k) {
        return trial.<Set<ActionCall>>map(p -> p.disabledActionsAt(k)).orElse(ImmutableSet.of());
    }

    /** The lessons as the planner is shown them, steps numbered from 1; empty without lessons. */
    private static String lessons(List<Reflection> lessons) {
        if (lessons.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("## Lessons from earlier trials of this task\n");
        for (Reflection r : lessons) {
            sb.append("- At step ").append(r.stepIndex() + 1).append(": ").append(r.lesson())
                    .append(" (do ").append(r.correctedAction()).append(")\n");
        }
        return sb.append('\n').toString();
    }

    /** The tools as the planner is shown them: name, parameters and description. */
    public static String toolList(Iterable<ActionTool> tools) {
        StringBuilder sb = new StringBuilder("## Tools you can use\n");
        for (ActionTool t : tools) {
            var spec = t.specification();
            var params = spec.parameters() == null ? List.<String>of() : List.copyOf(spec.parameters().properties().keySet());
            sb.append("- ").append(spec.name()).append('(').append(String.join(", ", params)).append(')');
            if (spec.description() != null && !spec.description().isBlank()) {
                sb.append(": ").append(spec.description().strip().replace('\n', ' '));
            }
            sb.append('\n');
        }
        return sb.append('\n').toString();
    }

    /** The steps as the model and the user are shown them: numbered from 1 (the memory stores them from 0). */
    public static String describe(List<Step> steps) {
        return steps.stream().map(s -> "Step " + (s.index() + 1) + ": " + s.action() + " → " + shorten(s.observation())
                + (s.status() == StepStatus.FAILED ? " [FAILED]" : "")).collect(Collectors.joining("\n")) + "\n";
    }

    private static boolean cycles(List<Step> steps) {
        int n = steps.size();
        return n >= 3 && steps.get(n - 1).action().equals(steps.get(n - 2).action())
                && steps.get(n - 2).action().equals(steps.get(n - 3).action());
    }

    private static List<ChatMessage> append(List<ChatMessage> messages, ChatMessage m) {
        List<ChatMessage> more = new ArrayList<>(messages);
        more.add(m);
        return more;
    }

    private static ObjectNode stageSchema(Iterable<String> toolNames) {
        ArrayNode names = F.arrayNode();
        toolNames.forEach(names::add);
        ObjectNode action = F.objectNode().put("type", "object");
        action.putArray("required").add("tool");
        ObjectNode props = action.putObject("properties");
        props.putObject("tool").put("type", "string").set("enum", names);
        props.putObject("arguments").put("type", "object");
        ObjectNode schema = F.objectNode().put("type", "object");
        schema.putArray("required").add("actions");
        ObjectNode sp = schema.putObject("properties");
        sp.putObject("actions").put("type", "array").put("minItems", 0).set("items", action);
        sp.putObject("answer").put("type", "string");
        return schema;
    }

    public static String shorten(String s) {
        String line = s == null ? "" : s.replace('\n', ' ');
        return line.length() <= 300 ? line : line.substring(0, 300) + "…";
    }
}
