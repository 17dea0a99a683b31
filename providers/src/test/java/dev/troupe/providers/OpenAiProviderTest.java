package dev.troupe.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.base.Throwables;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.troupe.agents.error.ConfigurationException;
import dev.troupe.agents.error.ModelException;
import dev.troupe.agents.model.ModelBackend;
import dev.troupe.agents.model.internal.ModelErrors;
import dev.troupe.agents.model.internal.ModelGateway;
import dev.troupe.agents.model.ModelRequest;
import dev.troupe.agents.model.ModelResolver;
import dev.troupe.agents.model.ModelResponse;
import dev.troupe.agents.model.RetryPolicy;
import dev.troupe.agents.model.Usage;
import dev.troupe.core.retry.Sleeper;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenAiProviderTest {
    private static final String HELLO = """
            {"id": "chatcmpl-1", "object": "chat.completion", "created": 1700000000,
             "model": "gpt-4o-mini-2024-07-18",
             "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello!"}, "finish_reason": "stop"}],
             "usage": {"prompt_tokens": 12000, "completion_tokens": 3000, "total_tokens": 15000}}
            """;

    private final MockWebServer server = new MockWebServer();
    private final List<Duration> slept = new CopyOnWriteArrayList<>();
    private final Sleeper recordingSleeper = slept::add;

    @BeforeEach
    void start() throws IOException {
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    @Test
    void usageFromTheResponseIsPricedAndBookedInTheLedger() {
        server.enqueue(json(200, HELLO));
        ModelGateway gateway = gateway(RetryPolicy.defaults());

        ModelResponse response = gateway.call(backend(Map.of()), request());

        assertThat(response.text()).isEqualTo("Hello!");
        assertThat(response.inputTokens()).isEqualTo(12_000);
        assertThat(response.outputTokens()).isEqualTo(3_000);
        // gpt-4o-mini-2024-07-18 is priced as gpt-4o-mini: 12k x 0.15 + 3k x 0.60 per million
        assertThat(response.costUsd()).isEqualTo(0.0036);
        Usage total = gateway.ledger().total();
        assertThat(total.calls()).isEqualTo(1);
        assertThat(total.inputTokens()).isEqualTo(12_000);
        assertThat(total.outputTokens()).isEqualTo(3_000);
        assertThat(total.costUsd()).isEqualTo(0.0036);
        assertThat(gateway.ledger().byRoleAndAction().get("writer").get("draft").costUsd()).isEqualTo(0.0036);
    }

    @Test
    void rateLimitIsRetriedAfterTheServersRetryAfter() {
        server.enqueue(json(429, "{\"error\": {\"message\": \"Rate limit reached\", \"type\": \"requests\"}}")
                .setHeader("Retry-After", "2"));
        server.enqueue(json(200, HELLO));

        ModelResponse response = gateway(RetryPolicy.defaults()).call(backend(Map.of()), request());

        assertThat(response.text()).isEqualTo("Hello!");
        assertThat(response.attempts()).isEqualTo(2);
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(slept).containsExactly(Duration.ofSeconds(2));
    }

    @Test
    void serverErrorIsRetriedAndThenSucceeds() {
        server.enqueue(json(500, "{\"error\": {\"message\": \"The server had an error\"}}"));
        server.enqueue(json(200, HELLO));

        ModelResponse response = gateway(RetryPolicy.defaults()).call(backend(Map.of()), request());

        assertThat(response.text()).isEqualTo("Hello!");
        assertThat(response.attempts()).isEqualTo(2);
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(slept).hasSize(1);
    }

    @Test
    void rejectedCredentialsFailFastAndSayWhatToCheck() {
        server.enqueue(json(401, "{\"error\": {\"message\": \"Incorrect API key provided\", \"code\": \"invalid_api_key\"}}"));
        server.enqueue(json(200, HELLO));

        ModelException e = catchThrowableOfType(ModelException.class,
                () -> gateway(RetryPolicy.defaults()).call(backend(Map.of()), request()));

        assertThat(e.retriable()).isFalse();
        assertThat(e.status()).hasValue(401);
        assertThat(e.getMessage()).contains("credentials").contains("OPENAI_API_KEY");
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(slept).isEmpty();
        // LangChain4j maps the status to its own type but keeps our exception, headers and all, as the cause.
        assertThat(e.getCause()).isInstanceOf(AuthenticationException.class);
        assertThat(e.getCause().getCause()).isInstanceOf(HttpStatusException.class);
    }

    @Test
    void malformedBodyFailsWithAParseErrorAfterBoundedAttempts() {
        for (int i = 0; i < 4; i++) {
            server.enqueue(json(200, "{not json"));
        }

        ModelException e = catchThrowableOfType(ModelException.class,
                () -> gateway(RetryPolicy.defaults().withMaxAttempts(3)).call(backend(Map.of()), request()));

        assertThat(e.retriable()).isFalse();
        assertThat(e.getMessage())
                .contains("openai:gpt-4o-mini")
                .contains("could not be parsed")
                .contains("JsonParseException")
                .contains("gave up after 3 attempts");
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void readTimeoutIsRetriedAndThenSucceeds() {
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
        server.enqueue(json(200, HELLO));

        List<ModelException> failures = new CopyOnWriteArrayList<>();
        ModelGateway gateway = ModelGateway.builder().sleeper(recordingSleeper).addInterceptor(chain -> {
            try {
                return chain.proceed(chain.request());
            } catch (RuntimeException e) {
                failures.add(ModelErrors.classify(e, chain.request(), chain.backend().spec()));
                throw e;
            }
        }).build();

        ModelResponse response = gateway.call(backend(Map.of("TROUPE_MODEL_TIMEOUT", "PT0.5S")), request());

        assertThat(response.text()).isEqualTo("Hello!");
        assertThat(response.attempts()).isEqualTo(2);
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(failures).singleElement().satisfies(f -> {
            assertThat(f.retriable()).isTrue();
            assertThat(f.getMessage()).startsWith("Model call timed out");
            assertThat(Throwables.getCausalChain(f)).hasAtLeastOneElementOfType(SocketTimeoutException.class);
        });
    }

    @Test
    void toolCallsComeBackAsToolExecutionRequests() throws InterruptedException {
        server.enqueue(json(200, """
                {"id": "chatcmpl-2", "object": "chat.completion", "created": 1700000000, "model": "gpt-4o-mini",
                 "choices": [{"index": 0, "finish_reason": "tool_calls", "message": {"role": "assistant", "content": null,
                   "tool_calls": [{"id": "call_1", "type": "function",
                     "function": {"name": "get_weather", "arguments": "{\\"city\\": \\"Paris\\"}"}}]}}],
                 "usage": {"prompt_tokens": 40, "completion_tokens": 12, "total_tokens": 52}}
                """));
        ToolSpecification weather = ToolSpecification.builder()
                .name("get_weather")
                .description("Current weather in a city")
                .parameters(JsonObjectSchema.builder().addStringProperty("city").required("city").build())
                .build();
        ChatRequest chat = ChatRequest.builder()
                .messages(UserMessage.from("What is the weather in Paris?"))
                .toolSpecifications(weather)
                .build();

        ModelResponse response = gateway(RetryPolicy.defaults()).call(backend(Map.of()), request(chat));

        assertThat(response.chatResponse().aiMessage().hasToolExecutionRequests()).isTrue();
        ToolExecutionRequest call = response.chatResponse().aiMessage().toolExecutionRequests().get(0);
        assertThat(call.id()).isEqualTo("call_1");
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(call.arguments()).isEqualTo("{\"city\": \"Paris\"}");
        assertThat(response.text()).isEmpty();
        assertThat(server.takeRequest(1, TimeUnit.SECONDS).getBody().readUtf8()).contains("\"get_weather\"");
    }

    @Test
    void requestsAreHttp11WithTheBearerKeyAndNoUpgradeHeaders() throws Exception {
        server.enqueue(json(200, HELLO));

        gateway(RetryPolicy.defaults()).call(backend(Map.of()), request());

        RecordedRequest recorded = server.takeRequest(1, TimeUnit.SECONDS);
        assertThat(recorded.getPath()).isEqualTo("/v1/chat/completions");
        assertThat(recorded.getMethod()).isEqualTo("POST");
        assertThat(recorded.getRequestLine()).endsWith("HTTP/1.1");
        assertThat(recorded.getHeader("Authorization")).isEqualTo("Bearer sk-test");
        assertThat(recorded.getHeader("Upgrade")).isNull();
        assertThat(recorded.getHeader("HTTP2-Settings")).isNull();
        assertThat(recorded.getHeader("Content-Type")).startsWith("application/json");
        JsonNode body = new ObjectMapper().readTree(recorded.getBody().readUtf8());
        assertThat(body.path("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(body.path("messages").get(0).path("content").asText()).isEqualTo("Say hi");
    }

    @Test
    void missingKeyForTheDefaultBaseUrlNamesTheVariableToSet() {
        ModelResolver resolver = ModelResolver.withEnv(Map.of());

        assertThatThrownBy(() -> resolver.resolve("openai:gpt-4o-mini"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("OPENAI_API_KEY")
                .hasMessageContaining("OPENAI_BASE_URL");
    }

    @Test
    void customBaseUrlWorksWithoutAKey() throws InterruptedException {
        server.enqueue(json(200, HELLO));
        ModelBackend backend = ModelResolver.withEnv(Map.of("OPENAI_BASE_URL", server.url("/v1").toString()))
                .resolve("openai:local-model");

        ModelResponse response = gateway(RetryPolicy.defaults()).call(backend, request());

        assertThat(response.text()).isEqualTo("Hello!");
        assertThat(response.model()).isEqualTo("openai:local-model");
        assertThat(server.takeRequest(1, TimeUnit.SECONDS).getHeader("Authorization")).startsWith("Bearer ");
    }

    @Test
    void unreadableTimeoutNamesTheVariable() {
        assertThatThrownBy(() -> backend(Map.of("TROUPE_MODEL_TIMEOUT", "soon")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("TROUPE_MODEL_TIMEOUT")
                .hasMessageContaining("soon");
    }

    private ModelBackend backend(Map<String, String> extraEnv) {
        Map<String, String> env = new HashMap<>(Map.of(
                "OPENAI_BASE_URL", server.url("/v1").toString(),
                "OPENAI_API_KEY", "sk-test"));
        env.putAll(extraEnv);
        return ModelResolver.withEnv(env).resolve("openai:gpt-4o-mini");
    }

    private ModelGateway gateway(RetryPolicy policy) {
        return ModelGateway.builder().retryPolicy(policy).sleeper(recordingSleeper).build();
    }

    private static ModelRequest request() {
        return request(ChatRequest.builder().messages(UserMessage.from("Say hi")).build());
    }

    private static ModelRequest request(ChatRequest chat) {
        return new ModelRequest("run-1", "writer", "draft", 0, chat, Optional.empty());
    }

    private static MockResponse json(int status, String body) {
        return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json").setBody(body);
    }
}
