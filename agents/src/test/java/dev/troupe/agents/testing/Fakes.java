package dev.troupe.agents.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import dev.troupe.agents.json.internal.Json;
import dev.troupe.agents.model.ModelBackend;
import dev.troupe.agents.model.ModelRequest;
import dev.troupe.agents.model.offline.ScriptedModel;
import dev.troupe.agents.tool.ActionTool;
import dev.troupe.agents.tool.ToolResult;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.function.Function;

/** Small fakes shared by the tests: hand-written backends, scripted models and requests. */
public final class Fakes {
    private Fakes() {}

    /** What a fake tool does with its arguments JSON. */
    @FunctionalInterface
    public interface ToolBody {
        ToolResult execute(String argumentsJson) throws Exception;
    }

    /** A tool named {@code name} that answers with {@code body}; {@code readOnly} as the planners see it. */
    public static ActionTool tool(String name, String description, boolean readOnly, ToolBody body) {
        return new ActionTool() {
            @Override
            public ToolSpecification specification() {
                return ToolSpecification.builder().name(name).description(description).build();
            }

            @Override
            public ToolResult execute(String argumentsJson) throws Exception {
                return body.execute(argumentsJson);
            }

            @Override
            public boolean readOnly() {
                return readOnly;
            }
        };
    }

    /**
     * A staged planner's script for a weather action with tools find_city and get_weather: the
     * first trial passes a wrong city id at step 2, the reflection corrects it, the second trial
     * answers "Paris: 18 C, light rain".
     */
    public static final String REFLECTIVE_WEATHER = """
            replies:
              - action: _stage
                when: "temp_c"
                reply: '{"actions": [], "answer": "Paris: 18 C, light rain"}'
              - action: _stage
                when: "Steps so far\\nnone"
                reply: '{"actions": [{"tool": "find_city", "arguments": {"name": "Paris"}}, {"tool": "get_weather", "arguments": {"city_id": "paris"}}]}'
              - action: _stage
                reply: '{"actions": [], "answer": "Paris is sunny"}'
              - action: _reflect
                reply: 'For action index=2, you should get_weather({"city_id": "FR-75"})'
            """;

    /** A scripted model parsed from {@code yaml}, named {@code test.yaml} in errors. */
    public static ScriptedModel script(String yaml) {
        return ScriptedModel.parse(yaml, "test.yaml", "scripted:test.yaml");
    }

    /** A live-looking (not synthetic) backend that answers with {@code answer}. */
    public static ModelBackend backend(String spec, Function<ModelRequest, ChatResponse> answer) {
        return new ModelBackend() {
            @Override
            public String spec() {
                return spec;
            }

            @Override
            public ChatResponse chat(ModelRequest request) {
                return answer.apply(request);
            }

            @Override
            public String toString() {
                return spec;
            }
        };
    }

    public static ChatResponse reply(String text) {
        return ChatResponse.builder().aiMessage(AiMessage.from(text)).build();
    }

    public static ChatResponse reply(String text, int inputTokens, int outputTokens) {
        return ChatResponse.builder().aiMessage(AiMessage.from(text))
                .tokenUsage(new TokenUsage(inputTokens, outputTokens)).build();
    }

    public static ModelRequest request(String role, String action, String prompt) {
        return request(role, action, prompt, null);
    }

    public static ModelRequest request(String role, String action, String prompt, JsonNode schema) {
        return new ModelRequest("run-1", role, action, 0,
                ChatRequest.builder().messages(UserMessage.from(prompt)).build(), Optional.ofNullable(schema));
    }

    public static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
