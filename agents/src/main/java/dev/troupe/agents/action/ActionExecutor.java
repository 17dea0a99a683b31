package dev.troupe.agents.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.troupe.agents.error.ActionFailedException;
import dev.troupe.agents.event.RunEvent;
import dev.troupe.agents.json.JsonExtractor;
import dev.troupe.agents.json.OutputSchema;
import dev.troupe.agents.model.ModelRequest;
import dev.troupe.agents.model.ModelResponse;
import dev.troupe.agents.planner.DfsdtSearch;
import dev.troupe.agents.planner.Finish;
import dev.troupe.agents.planner.Planner;
import dev.troupe.agents.planner.ToolBox;
import dev.troupe.agents.reflection.ReflectionScope;
import dev.troupe.agents.reflection.ReflectiveLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs one action: render the prompt, call the model through the gateway, run any tool calls it
 * makes, and for schema outputs extract, validate and re-ask with the errors until the output is
 * valid or the repairs run out.
 */
public final class ActionExecutor {
    private static final int MAX_SHOWN_OUTPUT = 2_000;

    private ActionExecutor() {}

    public static ActionOutput execute(Action action, ActionContext ctx) {
        List<ChatMessage> conversation = new ArrayList<>();
        conversation.add(SystemMessage.from(ctx.systemPrompt()));
        String prompt = renderPrompt(action, ctx);
        conversation.add(UserMessage.from(prompt));
        List<ActionTool> available = action.hasTools() ? tools(action, prompt, ctx) : List.of();
        boolean hasTools = !available.isEmpty();
        ToolBox tools = hasTools ? new ToolBox(available, ctx.runId(), ctx.role(), action.name(), ctx.listener()) : null;
        int step = 0;
        int repairs = 0;
        if (reflectsOnSteps(action, hasTools) && action.planner() == Planner.REACT) {
            String answer = ReflectiveLoop.run(action, available, action.reflection().get(), reflectionScope(action, ctx),
                    List.copyOf(conversation), ctx.runId(), ctx.role(), ctx.model(), ctx.gateway(), ctx.listener());
            conversation.add(AiMessage.from(answer));
            ModelResponse label = new ModelResponse(dev.langchain4j.model.chat.response.ChatResponse.builder()
                    .aiMessage(AiMessage.from(answer)).build(), ctx.model().spec(), ctx.model().synthetic(), 0, 0, 0,
                    java.time.Duration.ZERO, 0);
            Optional<ActionOutput> done = conclude(action, ctx, conversation, answer, label, 0);
            if (done.isPresent()) {
                return done.get();
            }
            repairs = 1;
            hasTools = false;    // the trials are over; what is left is making the answer valid
        } else if (hasTools && action.planner() == Planner.DFSDT) {
            DfsdtSearch search = new DfsdtSearch(ctx.gateway(), ctx.model(), tools, action.search(), ctx.listener(),
                    ctx.runId(), ctx.role(), action.name(), action.schema().map(OutputSchema::node));
            DfsdtSearch.Result found = action.reflection().isEmpty() ? search.search(conversation)
                    : ReflectiveLoop.search(action, search, available, action.reflection().get(), reflectionScope(action, ctx),
                            List.copyOf(conversation), ctx.runId(), ctx.role(), ctx.model(), ctx.gateway(), ctx.listener());
            conversation.add(AiMessage.from(found.answer()));
            Optional<ActionOutput> done = conclude(action, ctx, conversation, found.answer(), found.lastResponse(), 0);
            if (done.isPresent()) {
                return done.get();
            }
            step = found.modelCalls();
            repairs = 1;
            hasTools = false;    // the search is over; what is left is making its answer valid
        }

        int toolCalls = 0;
        while (true) {
            ChatRequest.Builder req = ChatRequest.builder().messages(List.copyOf(conversation));
            if (hasTools) {
                req.toolSpecifications(tools.specifications());
            }
            ModelRequest request = new ModelRequest(ctx.runId(), ctx.role(), action.name(), step++, req.build(),
                    action.schema().map(OutputSchema::node));
            ModelResponse response = ctx.gateway().call(ctx.model(), request);
            AiMessage ai = response.chatResponse().aiMessage();
            conversation.add(ai);

            String answer;
            if (ai.hasToolExecutionRequests()) {
                Optional<Finish.Outcome> finish = ai.toolExecutionRequests().stream().map(Finish::parse)
                        .flatMap(Optional::stream).findFirst();
                if (finish.isPresent() && finish.get().gaveUp()) {
                    throw new ActionFailedException(ctx.role(), action.name(), "the model gave up (Finish give_up_and_restart"
                            + (finish.get().answer().isBlank() ? "" : ": " + finish.get().answer())
                            + "). ReAct cannot restart; use the dfsdt planner to search other paths.");
                }
                if (finish.isEmpty()) {
                    if (toolCalls + ai.toolExecutionRequests().size() > action.maxToolCalls()) {
                        throw new ActionFailedException(ctx.role(), action.name(), "the model kept calling tools past the cap of "
                                + action.maxToolCalls() + " calls. Raise maxToolCalls or tighten the instruction.");
                    }
                    for (ToolExecutionRequest call : ai.toolExecutionRequests()) {
                        toolCalls++;
                        conversation.add(ToolExecutionResultMessage.from(call, tools.run(call)));
                    }
                    continue;
                }
                answer = finish.get().answer();
                // Finish is a tool call; the repair turns below need a plain assistant answer to follow.
                conversation.set(conversation.size() - 1, AiMessage.from(answer));
            } else {
                answer = response.text();
            }
            Optional<ActionOutput> done = conclude(action, ctx, conversation, answer, response, repairs);
            if (done.isPresent()) {
                return done.get();
            }
            repairs++;
            hasTools = false;
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

    /**
     * Whether the action runs as reflective trials of steps: tool calls, or for an action that writes
     * files, one {@code write_file} call per file.
     */
    private static boolean reflectsOnSteps(Action action, boolean hasTools) {
        return action.reflection().isPresent() && (hasTools || action.writesFiles());
    }

    private static ReflectionScope reflectionScope(Action action, ActionContext ctx) {
        return ctx.reflection().orElseThrow(() -> new ActionFailedException(ctx.role(), action.name(),
                "this action uses reflection but the run has no reflection store; set Team.builder().reflectionStore(...)"
                        + " or a workspace"));
    }

    /**
     * The output when {@code answer} is acceptable; otherwise appends the validation errors to the
     * conversation for a re-ask, or fails once the repairs are spent.
     */
    private static Optional<ActionOutput> conclude(Action action, ActionContext ctx, List<ChatMessage> conversation,
                                                   String answer, ModelResponse response, int repairs) {
        if (action.schema().isEmpty()) {
            return Optional.of(new ActionOutput(answer, Optional.empty(), Optional.of(response.model()), response.synthetic()));
        }
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
            return Optional.of(new ActionOutput(json.get().toPrettyString(), json, Optional.of(response.model()), response.synthetic()));
        }
        if (repairs >= action.maxRepairs()) {
            throw new ActionFailedException(ctx.role(), action.name(), "no valid output after " + (repairs + 1)
                    + " attempts (" + String.join("; ", errors) + "). Last output:\n" + shorten(answer));
        }
        conversation.add(UserMessage.from("Your reply is not valid:\n- " + String.join("\n- ", errors)
                + "\nReply again with only the corrected JSON value, conforming to the schema."));
        return Optional.empty();
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
