package dev.troupe.agents.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

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
        conversation.add(UserMessage.from(renderPrompt(action, ctx)));
        Map<String, ActionTool> tools = action.tools().stream()
                .collect(Collectors.toMap(ActionTool::name, Function.identity(), (a, b) -> a));
        List<ToolSpecification> specs = action.tools().stream().map(ActionTool::specification).toList();

        int step = 0;
        int toolCalls = 0;
        int repairs = 0;
        String lastOutput = "";
        while (true) {
            ChatRequest.Builder req = ChatRequest.builder().messages(List.copyOf(conversation));
            if (!specs.isEmpty()) {
                req.toolSpecifications(specs);
            }
            ModelRequest request = new ModelRequest(ctx.runId(), ctx.role(), action.name(), step++, req.build(),
                    action.schema().map(OutputSchema::node));
            ModelResponse response = ctx.gateway().call(ctx.model(), request);
            AiMessage ai = response.chatResponse().aiMessage();
            conversation.add(ai);

            if (ai.hasToolExecutionRequests()) {
                if (toolCalls + ai.toolExecutionRequests().size() > action.maxToolCalls()) {
                    throw new ActionFailedException(ctx.role(), action.name(), "the model kept calling tools past the cap of "
                            + action.maxToolCalls() + " calls. Raise maxToolCalls or tighten the instruction.");
                }
                for (ToolExecutionRequest call : ai.toolExecutionRequests()) {
                    toolCalls++;
                    conversation.add(ToolExecutionResultMessage.from(call, runTool(call, tools, action, ctx)));
                }
                continue;
            }

            lastOutput = response.text();
            if (action.schema().isEmpty()) {
                return new ActionOutput(lastOutput, Optional.empty(), Optional.of(response.model()), response.synthetic());
            }
            ImmutableList<String> errors;
            Optional<JsonNode> json = JsonExtractor.extract(lastOutput);
            if (json.isEmpty()) {
                errors = ImmutableList.of("the reply contains no JSON value");
            } else {
                errors = action.schema().get().validate(json.get());
                if (errors.isEmpty()) {
                    errors = ctx.extraCheck().apply(json.get());
                }
            }
            if (errors.isEmpty()) {
                return new ActionOutput(json.get().toPrettyString(), json, Optional.of(response.model()), response.synthetic());
            }
            if (repairs >= action.maxRepairs()) {
                throw new ActionFailedException(ctx.role(), action.name(), "no valid output after " + (repairs + 1)
                        + " attempts (" + String.join("; ", errors) + "). Last output:\n" + shorten(lastOutput));
            }
            repairs++;
            conversation.add(UserMessage.from("Your reply is not valid:\n- " + String.join("\n- ", errors)
                    + "\nReply again with only the corrected JSON value, conforming to the schema."));
        }
    }

    private static String renderPrompt(Action action, ActionContext ctx) {
        String prompt;
        try {
            prompt = action.instruction().render(ctx.variables());
        } catch (IllegalArgumentException unknown) {
            throw new ActionFailedException(ctx.role(), action.name(), "the instruction uses {{" + unknown.getMessage()
                    + "}}, which has no value here. Use requirement, history, news, role.name, role.profile, role.goal,"
                    + " role.constraints, or the name of an action whose message the role has seen.");
        }
        if (ctx.appendInputWhenUnreferenced() && !referencesInput(action.instruction())) {
            prompt = prompt + "\n\n## Input\n" + ctx.variables().apply("news").orElse("");
        }
        if (ctx.appendInputWhenUnreferenced() && !action.instruction().roots().contains("task")) {
            // A planned task's own instruction must reach the model even when the template has no {{task}}.
            Optional<String> task = ctx.variables().apply("task");
            if (task.isPresent()) {
                prompt = prompt + "\n\n## Task\n" + task.get();
            }
        }
        if (action.schema().isPresent()) {
            prompt = prompt + "\n\n## Output format\nReply with one JSON value that conforms to this JSON Schema, and nothing else:\n```json\n"
                    + action.schema().get().node().toPrettyString() + "\n```";
        }
        return prompt;
    }

    /** Whether the template pulls in any message content; if not, the triggering messages are appended. */
    private static boolean referencesInput(PromptTemplate t) {
        return t.roots().stream().anyMatch(r -> !r.equals("role"));
    }

    private static String runTool(ToolExecutionRequest call, Map<String, ActionTool> tools, Action action, ActionContext ctx) {
        long start = System.nanoTime();
        ActionTool tool = tools.get(call.name());
        String result;
        boolean failed = false;
        if (tool == null) {
            failed = true;
            result = "Error: there is no tool named '" + call.name() + "'. Available tools: "
                    + (tools.isEmpty() ? "none" : String.join(", ", tools.keySet())) + ".";
        } else {
            try {
                result = tool.execute(call.arguments() == null ? "{}" : call.arguments());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ActionFailedException(ctx.role(), action.name(), "interrupted while running tool " + call.name(), e);
            } catch (Exception e) {
                failed = true;
                result = "Error: tool '" + call.name() + "' failed: " + e.getMessage();
            }
        }
        ctx.listener().on(new RunEvent.ToolCall(ctx.runId(), Instant.now(), ctx.role(), action.name(), call.name(),
                call.arguments(), result, failed, Duration.ofNanos(System.nanoTime() - start)));
        return result;
    }

    private static String shorten(String s) {
        return s.length() <= MAX_SHOWN_OUTPUT ? s : s.substring(0, MAX_SHOWN_OUTPUT) + "… (" + s.length() + " chars)";
    }
}
