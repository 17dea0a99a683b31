package dev.troupe.agents.model.internal;

import dev.troupe.agents.model.ModelRequest;
import dev.troupe.agents.model.ModelResponse;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.google.common.hash.Hashing;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One recorded model call in a cassette (a JSON Lines file): the call's place and the answer.
 * The prompt is kept as a hash only, so cassettes hold no prompt text or secrets.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CassetteEntry(String role, String action, int step, String model, String promptSha256, String text,
                            List<RecordedToolCall> toolCalls, long inputTokens, long outputTokens) {

    /** A tool call the model made. */
    public record RecordedToolCall(String id, String name, String arguments) {}

    public static CassetteEntry of(ModelRequest request, ModelResponse response) {
        AiMessage ai = response.chatResponse().aiMessage();
        List<RecordedToolCall> calls = null;
        if (ai.hasToolExecutionRequests()) {
            calls = new ArrayList<>();
            for (ToolExecutionRequest t : ai.toolExecutionRequests()) {
                calls.add(new RecordedToolCall(t.id(), t.name(), t.arguments()));
            }
        }
        return new CassetteEntry(request.role(), request.action(), request.step(), response.model(),
                sha256(request.promptText()), ai.text(), calls, response.inputTokens(), response.outputTokens());
    }

    public ChatResponse toChatResponse() {
        AiMessage ai;
        if (toolCalls != null && !toolCalls.isEmpty()) {
            List<ToolExecutionRequest> reqs = toolCalls.stream()
                    .map(c -> ToolExecutionRequest.builder().id(c.id()).name(c.name()).arguments(c.arguments()).build())
                    .toList();
            ai = text == null ? AiMessage.from(reqs) : AiMessage.from(text, reqs);
        } else {
            ai = AiMessage.from(text == null ? "" : text);
        }
        return ChatResponse.builder().aiMessage(ai).modelName(model)
                .tokenUsage(new TokenUsage((int) inputTokens, (int) outputTokens)).build();
    }

    static String sha256(String s) {
        return Hashing.sha256().hashString(s, StandardCharsets.UTF_8).toString();
    }

}
