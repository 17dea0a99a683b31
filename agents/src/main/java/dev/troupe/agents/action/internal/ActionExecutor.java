package dev.troupe.agents.action.internal;

import dev.troupe.agents.action.Action;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.troupe.agents.error.ActionFailedException;
import dev.troupe.agents.event.RunEvent;
import dev.troupe.agents.json.internal.JsonExtractor;
import dev.troupe.agents.json.OutputSchema;
import dev.troupe.agents.model.ModelRequest;
import dev.troupe.agents.model.ModelResponse;
import dev.troupe.agents.planner.internal.Attempt;
import dev.troupe.agents.planner.internal.DfsdtSearch;
import dev.troupe.agents.planner.internal.Planner;
import dev.troupe.agents.planner.internal.PlannerContext;
import dev.troupe.agents.planner.internal.ReactPlanner;
import dev.troupe.agents.planner.internal.StagedPlanner;
import dev.troupe.agents.planner.internal.ToolBox;
import dev.troupe.agents.reflection.internal.ReflectionScope;
import dev.troupe.agents.reflection.ReflectionSettings;
import dev.troupe.agents.reflection.internal.ReflectivePlanner;
import dev.troupe.agents.tool.ActionTool;
import dev.troupe.agents.tool.ToolProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one action, top to bottom: render the prompt; let the action's {@link Planner} use its tools
 * until an answer (wrapped in structured reflection when the action has it), or make one model
 * call when it has no tools; then conclude: extract, validate, and re-ask with the errors until
 * the output is valid or the repairs run out.
 */
public final class ActionExecutor {
    private static final int MAX_SHOWN_OUTPUT = 2_000;

    private ActionExecutor() {}

    public static ActionOutput execute(Action action, ActionContext ctx) {
        String prompt = renderPrompt(action, ctx);
        List<ChatMessage> task = List.of(SystemMessage.from(ctx.systemPrompt()), UserMessage.from(prompt));
        AtomicInteger calls = new AtomicInteger();
        Optional<Planner> planner = planner(action, ctx, prompt, calls);
        Attempt.Answered answered = planner.isPresent() ? answered(planner.get().attempt(task, Optional.empty()), action, ctx)
                : ask(action, ctx, task, calls);
        return conclude(action, ctx, answered, calls);
    }

    /**
     * The planner for the action's tools this time, or empty when there are none to use. Under
     * reflection a react action is planned in stages (its trials replay and correct a plan), and an
     * action that writes files plans one {@code write_file} call per file and answers with the files
     * its passing trial wrote.
     */
    private static Optional<Planner> planner(Action action, ActionContext ctx, String prompt, AtomicInteger calls) {
        List<ActionTool> available = action.hasTools() ? tools(action, prompt, ctx) : List.of();
        Optional<ReflectionSettings> reflection = action.reflection().filter(r -> !available.isEmpty() || action.writesFiles());
        if (available.isEmpty() && reflection.isEmpty()) {
            return Optional.empty();
        }
        Optional<ReflectionScope> scope = reflection.map(r -> reflectionScope(action, ctx));
        boolean writesFiles = reflection.isPresent() && action.writesFiles();
        List<ActionTool> tools = new ArrayList<>(available);
        if (writesFiles) {
            tools.add(new WorkspaceFileTool(scope.get().workspace().orElseThrow(() -> new ActionFailedException(ctx.role(),
                    action.name(), "this action writes files but the run has no workspace; set Team.builder().workspace(...)"
                            + " or --workspace"))));
        }
        PlannerContext pc = new PlannerContext(ctx.runId(), ctx.role(), action.name(), ctx.model(), ctx.gateway(), ctx.listener(),
                new ToolBox(tools, ctx.runId(), ctx.role(), action.name(), ctx.listener()), action.schema().map(OutputSchema::node),
                calls);
        Planner planner = switch (action.planner()) {
            case DFSDT -> new DfsdtSearch(pc, action.search());
            case STAGED -> new StagedPlanner(pc, reflection.map(ReflectionSettings::maxSteps).orElse(action.maxToolCalls()));
            case REACT -> reflection.isPresent() ? new StagedPlanner(pc, reflection.get().maxSteps())
                    : new ReactPlanner(pc, action.maxToolCalls());
        };
        if (reflection.isEmpty()) {
            return Optional.of(planner);
        }
        Planner reflective = new ReflectivePlanner(planner, pc, reflection.get(), scope.get(), action.schema());
        return Optional.of(writesFiles ? answeringWithFilesWritten(reflective) : reflective);
    }

    /** {@code planner}, answering with the files its attempt wrote ({@code {"files": [{path, content}]}}). */
    private static Planner answeringWithFilesWritten(Planner planner) {
        return (task, plan) -> switch (planner.attempt(task, plan)) {
            case Attempt.Answered a -> a.withAnswer(WorkspaceFileTool.filesWritten(a.steps()).toPrettyString());
            case Attempt.Exhausted e -> e;
        };
    }

    /** The planner's answer; a planner that found none fails the action with its reason. */
    private static Attempt.Answered answered(Attempt attempt, Action action, ActionContext ctx) {
        return switch (attempt) {
            case Attempt.Answered a -> a;
            case Attempt.Exhausted e -> throw new ActionFailedException(ctx.role(), action.name(), e.detail());
        };
    }

    /** One model call without tools on {@code conversation}; its reply is the answer. */
    private static Attempt.Answered ask(Action action, ActionContext ctx, List<ChatMessage> conversation, AtomicInteger calls) {
        ModelRequest request = new ModelRequest(ctx.runId(), ctx.role(), action.name(), calls.getAndIncrement(),
                ChatRequest.builder().messages(List.copyOf(conversation)).build(), action.schema().map(OutputSchema::node));
        ModelResponse response = ctx.gateway().call(ctx.model(), request);
        List<ChatMessage> answered = new ArrayList<>(conversation);
        answered.add(response.chatResponse().aiMessage());
        return new Attempt.Answered(response.text(), List.of(), answered);
    }

    /**
     * The output once the answer is acceptable: text as it is, or for a schema the extracted JSON
     * that validates and passes the extra check; else the errors are sent back for a corrected
     * answer until {@code maxRepairs} re-asks are spent.
     */
    private static ActionOutput conclude(Action action, ActionContext ctx, Attempt.Answered answered, AtomicInteger calls) {
        Optional<String> model = Optional.of(ctx.model().spec());
        if (action.schema().isEmpty()) {
            return new ActionOutput(answered.answer(), Optional.empty(), model, ctx.model().synthetic());
        }
        for (int repairs = 0; ; repairs++) {
            String answer = answered.answer();
            ImmutableList<String> errors;
            Optional<JsonNode> json = JsonExtractor.extract(answer);
            if (json.isEmpty()) {
                errors = ImmutableList.of("the reply contains no JSON value");
            } else {
                errors = action.schema().get().validate(json.get());
                if (errors.isEmpty()) {
                    errors = ctx.extraCheck().apply(json.get());
                }
            }
            if (errors.isEmpty()) {
                return new ActionOutput(json.get().toPrettyString(), json, model, ctx.model().synthetic());
            }
            if (repairs >= action.maxRepairs()) {
                throw new ActionFailedException(ctx.role(), action.name(), "no valid output after " + (repairs + 1)
                        + " attempts (" + String.join("; ", errors) + "). Last output:\n" + shorten(answer));
            }
            List<ChatMessage> conversation = new ArrayList<>(answered.conversation());
            conversation.add(UserMessage.from("Your reply is not valid:\n- " + String.join("\n- ", errors)
                    + "\nReply again with only the corrected JSON value, conforming to the schema."));
            answered = ask(action, ctx, conversation, calls);
        }
    }

    /** The action's fixed tools, then its provider's choice for this prompt, which goes to the listener. */
    private static List<ActionTool> tools(Action action, String prompt, ActionContext ctx) {
        if (action.toolProvider().isEmpty()) {
            return action.tools();
        }
        ToolProvider.Choice choice = action.toolProvider().get().choose(prompt);
        ctx.listener().on(new RunEvent.ToolsChosen(ctx.runId(), java.time.Instant.now(), ctx.role(), action.name(), choice.how(),
                choice.tools().stream().map(ActionTool::name).toList(), choice.scores()));
        return ImmutableList.<ActionTool>builder().addAll(action.tools()).addAll(choice.tools()).build();
    }

    private static ReflectionScope reflectionScope(Action action, ActionContext ctx) {
        return ctx.reflection().orElseThrow(() -> new ActionFailedException(ctx.role(), action.name(),
                "this action uses reflection but the run has no reflection store; set Team.builder().reflectionStore(...)"
                        + " or a workspace"));
    }

    private static String renderPrompt(Action action, ActionContext ctx) {
        String prompt;
        try {
            prompt = action.instruction().render(ctx.variables());
        } catch (IllegalArgumentException unknown) {
            throw new ActionFailedException(ctx.role(), action.name(), TemplateVariables.unbound(unknown.getMessage()));
        }
        if (ctx.appendInputWhenUnreferenced() && !referencesInput(action.instruction())) {
            prompt = prompt + "\n\n## Input\n" + ctx.variables().apply(TemplateVariables.NEWS).orElse("");
        }
        if (ctx.appendInputWhenUnreferenced() && !action.instruction().roots().contains(TemplateVariables.TASK)) {
            // A planned task's own instruction must reach the model even when the template has no {{task}}.
            Optional<String> task = ctx.variables().apply(TemplateVariables.TASK);
            if (task.isPresent()) {
                prompt = prompt + "\n\n## Task\n" + task.get();
            }
        }
        // A reflective action that writes files answers with what its trial wrote, never with a JSON document.
        if (action.schema().isPresent() && !(action.writesFiles() && action.reflection().isPresent())) {
            prompt = prompt + "\n\n## Output format\nReply with one JSON value that conforms to this JSON Schema, and nothing else:\n```json\n"
                    + action.schema().get().node().toPrettyString() + "\n```";
        }
        return prompt;
    }

    /** Whether the template pulls in any message content; if not, the triggering messages are appended. */
    private static boolean referencesInput(PromptTemplate t) {
        for (String root : t.roots()) {
            if (!root.equals(TemplateVariables.ROLE)) {
                return true;
            }
        }
        return false;
    }

    private static String shorten(String s) {
        return s.length() <= MAX_SHOWN_OUTPUT ? s : s.substring(0, MAX_SHOWN_OUTPUT) + "… (" + s.length() + " chars)";
    }
}
