package dev.troupe.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpMethod;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.DefaultServerSentEventParser;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OkHttpClientAdapterTest {
    private final MockWebServer server = new MockWebServer();
    private final HttpClient client = OkHttpClientAdapter.builder()
            .connectTimeout(Duration.ofSeconds(2))
            .readTimeout(Duration.ofSeconds(2))
            .build();

    @BeforeEach
    void start() throws IOException {
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    @Test
    void errorStatusIsThrownWithStatusBodyAndHeaders() {
        server.enqueue(new MockResponse().setResponseCode(503).setHeader("Retry-After", "7").setBody("overloaded"));

        HttpStatusException e = catchThrowableOfType(HttpStatusException.class,
                () -> client.execute(post("{}")));

        assertThat(e).isInstanceOf(HttpException.class);
        assertThat(e.statusCode()).isEqualTo(503);
        assertThat(e.getMessage()).isEqualTo("overloaded");
        assertThat(e.header("retry-after")).hasValue("7");
        assertThat(e.header("Retry-After")).hasValue("7");
        assertThat(e.getCause()).isNull(); // LangChain4j maps by the root cause's status
    }

    @Test
    void refusedConnectionKeepsTheIOExceptionAsCause() throws IOException {
        String url = server.url("/v1/chat").toString();
        server.shutdown();

        Throwable e = catchThrowable(() -> client.execute(
                HttpRequest.builder().method(HttpMethod.POST).url(url).body("{}").build()));

        assertThat(e).isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(ConnectException.class);
    }

    @Test
    void jsonBodyIsSentAsIsWithTheCallersContentType() throws InterruptedException {
        server.enqueue(new MockResponse().setBody("{\"ok\": true}"));

        SuccessfulHttpResponse response = client.execute(post("{\"q\": \"héllo\"}"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"ok\": true}");
        RecordedRequest recorded = server.takeRequest(1, TimeUnit.SECONDS);
        assertThat(recorded.getHeader("Content-Type")).isEqualTo("application/json");
        assertThat(recorded.getBody().readUtf8()).isEqualTo("{\"q\": \"héllo\"}");
    }

    @Test
    void multipartUsesTheBoundaryTheCallerAnnounced() throws InterruptedException {
        server.enqueue(new MockResponse().setBody("{}"));
        HttpRequest request = HttpRequest.builder()
                .method(HttpMethod.POST)
                .url(server.url("/v1/audio/transcriptions").toString())
                .addHeader("Content-Type", "multipart/form-data; boundary=----LangChain4j")
                .addFormDataField("model", "whisper-1")
                .addFormDataFile("file", "a.wav", "audio/wav", new byte[] {1, 2, 3})
                .build();

        client.execute(request);

        RecordedRequest recorded = server.takeRequest(1, TimeUnit.SECONDS);
        assertThat(recorded.getHeader("Content-Type")).isEqualTo("multipart/form-data; boundary=----LangChain4j");
        String body = recorded.getBody().readUtf8();
        assertThat(body).startsWith("------LangChain4j")
                .contains("name=\"model\"", "whisper-1", "name=\"file\"; filename=\"a.wav\"", "audio/wav");
    }

    @Test
    void serverSentEventsAreParsedBetweenOpenAndClose() {
        server.enqueue(new MockResponse().setHeader("Content-Type", "text/event-stream")
                .setBody("data: {\"n\": 1}\n\ndata: {\"n\": 2}\n\ndata: [DONE]\n\n"));
        List<String> seen = new CopyOnWriteArrayList<>();

        client.execute(post("{}"), new DefaultServerSentEventParser(), recorder(seen));

        assertThat(seen).containsExactly("open 200", "{\"n\": 1}", "{\"n\": 2}", "[DONE]", "close");
    }

    @Test
    void serverSentEventErrorStatusGoesToOnError() {
        server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "3").setBody("slow down"));
        List<String> seen = new CopyOnWriteArrayList<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();

        client.execute(post("{}"), new DefaultServerSentEventParser(), new ServerSentEventListener() {
            @Override
            public void onOpen(SuccessfulHttpResponse response) {
                seen.add("open");
            }

            @Override
            public void onError(Throwable t) {
                errors.add(t);
            }
        });

        assertThat(seen).isEmpty();
        assertThat(errors).singleElement().isInstanceOfSatisfying(HttpStatusException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(429);
            assertThat(e.header("Retry-After")).hasValue("3");
        });
    }

    private HttpRequest post(String json) {
        return HttpRequest.builder()
                .method(HttpMethod.POST)
                .url(server.url("/v1/chat/completions").toString())
                .addHeader("Content-Type", "application/json")
                .body(json)
                .build();
    }

    private static ServerSentEventListener recorder(List<String> seen) {
        return new ServerSentEventListener() {
            @Override
            public void onOpen(SuccessfulHttpResponse response) {
                seen.add("open " + response.statusCode());
            }

            @Override
            public void onEvent(ServerSentEvent event) {
                seen.add(event.data());
            }

            @Override
            public void onError(Throwable t) {
                seen.add("error " + t);
            }

            @Override
            public void onClose() {
                seen.add("close");
            }
        };
    }
}
