package dev.troupe.providers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.troupe.agents.model.ModelBackend;
import dev.troupe.agents.model.internal.ModelGateway;
import dev.troupe.agents.model.ModelRequest;
import dev.troupe.agents.model.ModelResolver;
import dev.troupe.agents.model.ModelResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OllamaProviderTest {
    private final MockWebServer server = new MockWebServer();

    @BeforeEach
    void start() throws IOException {
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    @Test
    void chatGoesToApiChatAndReadsTheAnswerAndTokenCounts() throws Exception {
        server.enqueue(new MockResponse().setHeader("Content-Type", "application/json").setBody("""
                {"model": "llama3.2", "created_at": "2025-01-01T00:00:00.000000Z",
                 "message": {"role": "assistant", "content": "Hello from Ollama"},
                 "done": true, "done_reason": "stop", "prompt_eval_count": 21, "eval_count": 7}
                """));
        ModelBackend backend = ModelResolver.withEnv(Map.of("OLLAMA_BASE_URL", server.url("/").toString()))
                .resolve("ollama:llama3.2");
        ModelRequest request = new ModelRequest("run-1", "writer", "draft", 0,
                ChatRequest.builder().messages(UserMessage.from("Say hi")).build(), Optional.empty());

        ModelResponse response = ModelGateway.builder().build().call(backend, request);

        assertThat(response.text()).isEqualTo("Hello from Ollama");
        assertThat(response.model()).isEqualTo("ollama:llama3.2");
        assertThat(response.inputTokens()).isEqualTo(21);
        assertThat(response.outputTokens()).isEqualTo(7);
        assertThat(response.costUsd()).isZero(); // local models have no price
        RecordedRequest recorded = server.takeRequest(1, TimeUnit.SECONDS);
        assertThat(recorded.getMethod()).isEqualTo("POST");
        assertThat(recorded.getPath()).isEqualTo("/api/chat");
        assertThat(recorded.getHeader("Upgrade")).isNull();
        JsonNode body = new ObjectMapper().readTree(recorded.getBody().readUtf8());
        assertThat(body.path("model").asText()).isEqualTo("llama3.2");
        assertThat(body.path("stream").asBoolean(true)).isFalse();
        assertThat(body.path("messages").get(0).path("role").asText()).isEqualTo("user");
        assertThat(body.path("messages").get(0).path("content").asText()).isEqualTo("Say hi");
    }
}
