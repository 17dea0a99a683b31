package dev.troupe.agents.planner.internal;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.troupe.agents.model.ModelRequest;
import dev.troupe.agents.model.ModelResponse;
import dev.troupe.agents.tool.ActionTool;
import dev.troupe.memory.reflection.ActionCall;
import dev.troupe.memory.reflection.FailureReason;
import dev.troupe.memory.reflection.Step;
import dev.troupe.memory.reflection.TrialPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * ReAct: one chain of model turns; each turn calls tools and sees their observations, until the
 * model answers in plain text or with {@code Finish(give_answer)}. It cannot restart a path, so
 * {@code give_up_and_restart} ends the attempt; so do more tool calls than the action allows.
 */
public final class ReactPlanner implements Planner {
    private final PlannerContext ctx;
    private final int maxToolCalls;

    public ReactPlanner(PlannerContext ctx, int maxToolCalls) {
        this.ctx = ctx;
        this.maxToolCalls = maxToolCalls;
    }

    @Override
    public Attempt attempt(List<ChatMessage> task, Optional<TrialPlan> plan) {
        List<ChatMessage> conversation = new ArrayList<>(task);
        List<Step> steps = new ArrayList<>();
        plan.ifPresent(p -> replay(p, conversation, steps));
        int toolCalls = 0;
        while (true) {
            ModelRequest request = new ModelRequest(ctx.runId(), ctx.role(), ctx.action(), ctx.nextCall(),
                    ChatRequest.builder().messages(List.copyOf(conversation)).toolSpecifications(ctx.tools().specifications()).build(),
                    ctx.outputSchema());
            ModelResponse response = ctx.gateway().call(ctx.model(), request);
            AiMessage ai = response.chatResponse().aiMessage();
            if (!ai.hasToolExecutionRequests()) {
                conversation.add(ai);
                return new Attempt.Answered(response.text(), steps, conversation);
            }
            Optional<Finish.Outcome> finish = ai.toolExecutionRequests().stream().map(Finish::parse)
                    .flatMap(Optional::stream).findFirst();
            if (finish.isPresent() && finish.get().gaveUp()) {
                return new Attempt.Exhausted(steps, FailureReason.ERROR, "the model gave up (Finish give_up_and_restart"
                        + (finish.get().answer().isBlank() ? "" : ": " + finish.get().answer())
                        + "). ReAct cannot restart; use the dfsdt planner to search other paths.");
            }
            if (finish.isPresent()) {
                // Finish is a tool call; a repair turn needs a plain assistant answer to follow.
                conversation.add(AiMessage.from(finish.get().answer()));
                return new Attempt.Answered(finish.get().answer(), steps, conversation);
            }
            if (toolCalls + ai.toolExecutionRequests().size() > maxToolCalls) {
                return new Attempt.Exhausted(steps, FailureReason.STEP_CAP, "the model kept calling tools past the cap of "
                        + maxToolCalls + " calls. Raise maxToolCalls or tighten the instruction.");
            }
            conversation.add(ai);
            for (ToolExecutionRequest call : ai.toolExecutionRequests()) {
                toolCalls++;
                Step taken = Steps.take(ctx.tools(), call, Steps.call(call), Optional.empty(), steps, false);
                conversation.add(ToolExecutionResultMessage.from(call, taken.observation()));
                steps.add(taken);
            }
        }
    }

    /**
     * Puts the plan's replayed steps and its forced action into the chain as calls the model made,
     * then tells it what already failed at the next step.
     */
    private void replay(TrialPlan plan, List<ChatMessage> conversation, List<Step> steps) {
        for (Step old : plan.replay()) {
            boolean cached = ctx.tools().tool(old.action().name()).map(ActionTool::readOnly).orElse(false);
            step(old.action(), cached ? Optional.of(old) : Optional.empty(), true, conversation, steps);
        }
        int k = steps.size();
        Optional<ActionCall> forced = plan.forcedActionAt(k);
        if (forced.isPresent()) {
            step(forced.get(), Optional.empty(), false, conversation, steps);
            return;
        }
        Set<ActionCall> disabled = plan.disabledActionsAt(k);
        if (!disabled.isEmpty()) {
            conversation.add(UserMessage.from("These actions failed at this step in an earlier trial; choose none of them:\n- "
                    + disabled.stream().map(a -> a.name() + "(" + a.argumentsJson() + ")").collect(Collectors.joining("\n- "))));
        }
    }

    private void step(ActionCall call, Optional<Step> cached, boolean replayed, List<ChatMessage> conversation, List<Step> steps) {
        ToolExecutionRequest request = ToolExecutionRequest.builder().id("trial-step-" + (steps.size() + 1)).name(call.name())
                .arguments(call.argumentsJson()).build();
        Step taken = Steps.take(ctx.tools(), request, call, cached, steps, replayed);
        conversation.add(AiMessage.from(List.of(request)));
        conversation.add(ToolExecutionResultMessage.from(request, taken.observation()));
        steps.add(taken);
    }
}
