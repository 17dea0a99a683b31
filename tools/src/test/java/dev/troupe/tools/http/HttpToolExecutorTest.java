package dev.troupe.tools.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.troupe.tools.egress.EgressPolicy;
import dev.troupe.tools.function.ToolFunctions;
import dev.troupe.tools.spec.ApiSpec;
import dev.troupe.tools.spec.AuthSpec;
import dev.troupe.tools.spec.Endpoint;
import dev.troupe.tools.spec.Param;
import dev.troupe.tools.spec.ParamLocation;
import dev.troupe.tools.spec.RequestBody;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.Dns;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpToolExecutorTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String KEY = "sk-live-9f8e7d6c5b4a";

    private MockWebServer server;
    private final List<Duration> sleeps = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start(InetAddress.getLoopbackAddress(), 0);
    }

    @AfterEach
    void stop() throws Exception {
        server.shutdown();
    }

    private static ApiSpec weather(AuthSpec auth) {
        return ApiSpec.builder("Weather Now").auth(auth)
                .endpoint(Endpoint.builder("Get forecast").method("GET").path("/cities/{city}/forecast")
                        .param(Param.builder("city", ParamLocation.PATH).build())
                        .param(Param.builder("days", ParamLocation.QUERY).type("integer").build())
                        .param(Param.builder("units", ParamLocation.QUERY).enumValues(List.of("metric", "imperial")).build())
                        .param(Param.builder("X-Trace", ParamLocation.HEADER).build())
                        .build())
                .endpoint(Endpoint.builder("Create alert").method("POST").path("/alerts")
                        .requestBody(new RequestBody(RequestBody.JSON, MAPPER.createObjectNode().put("type", "object")
                                .set("properties", MAPPER.createObjectNode()
                                        .set("level", MAPPER.createObjectNode().put("type", "integer"))), true))
                        .param(Param.builder("level", ParamLocation.BODY).type("integer").required(true).build())
                        .param(Param.builder("note", ParamLocation.BODY).build())
                        .build())
                .build();
    }

    private HttpToolExecutor.Builder executor(ApiSpec spec) {
        return HttpToolExecutor.builder(ToolFunctions.of(List.of(spec)))
                .baseUrl("weather_now", server.url("/").toString())
                .egressPolicy(EgressPolicy.builder().allowHost(server.getHostName()).build())
                .sleeper(sleeps::add);
    }

    @Test
    void sendsPathQueryHeaderAndBodyParametersWhereTheSpecSays() throws Exception {
        HttpToolExecutor executor = executor(weather(AuthSpec.none())).build();
        server.enqueue(new MockResponse().setBody("{\"temp\": 21}").setHeader("Content-Type", "application/json"));
        server.enqueue(new MockResponse().setResponseCode(201).setBody("{\"id\": 7}"));

        Observation get = executor.execute("get_forecast_for_weather_now",
                "{\"city\": \"São Paulo/Centro\", \"days\": \"3\", \"units\": \"metric\", \"x_trace\": \"abc\"}");
        Observation post = executor.execute("create_alert_for_weather_now", "{\"level\": 4, \"note\": \"storm\"}");

        RecordedRequest first = server.takeRequest();
        assertThat(first.getMethod()).isEqualTo("GET");
        assertThat(first.getRequestUrl().pathSegments()).containsExactly("cities", "São Paulo/Centro", "forecast");
        assertThat(first.getRequestUrl().queryParameter("days")).isEqualTo("3");
        assertThat(first.getRequestUrl().queryParameter("units")).isEqualTo("metric");
        assertThat(first.getHeader("X-Trace")).isEqualTo("abc");
        RecordedRequest second = server.takeRequest();
        assertThat(second.getMethod()).isEqualTo("POST");
        assertThat(MAPPER.readTree(second.getBody().readUtf8())).isEqualTo(MAPPER.readTree("{\"level\": 4, \"note\": \"storm\"}"));
        assertThat(get.kind()).isEqualTo(ObservationKind.OK);
        assertThat(MAPPER.readTree(get.text())).isEqualTo(MAPPER.readTree("{\"error\": \"\", \"response\": {\"temp\": 21}}"));
        assertThat(post.kind()).isEqualTo(ObservationKind.OK);
        assertThat(post.status()).isEqualTo(201);
    }

    @Test
    void apiKeyInHeaderReachesTheServerButNeverTheObservationLogsOrToString() throws Exception {
        HttpToolExecutor executor = executor(weather(AuthSpec.apiKeyHeader("X-Api-Key")))
                .credentials(Credentials.builder().put("weather_now", Credential.secret(KEY)).build()).build();
        // A careless server echoes the key back, in the body and in an error.
        server.enqueue(new MockResponse().setResponseCode(401).setBody("{\"message\": \"key " + KEY + " is revoked\"}"));
        Observation[] observation = new Observation[1];

        String logs = capturingLogs(() -> observation[0] = executor.execute("get_forecast_for_weather_now", "{\"city\": \"Oslo\"}"));

        assertThat(server.takeRequest().getHeader("X-Api-Key")).isEqualTo(KEY);
        assertThat(observation[0].kind()).isEqualTo(ObservationKind.CLIENT_ERROR);
        assertThat(observation[0].text()).doesNotContain(KEY).contains("[redacted]").contains("TROUPE_TOOL_WEATHER_NOW_KEY");
        assertThat(observation[0].toString()).doesNotContain(KEY);
        assertThat(executor.toString()).doesNotContain(KEY);
        assertThat(logs).contains("GET http://").doesNotContain(KEY);
    }

    @Test
    void aQueryKeyNeverAppearsInTheDebugLog() throws Exception {
        HttpToolExecutor executor = executor(weather(AuthSpec.apiKeyQuery("appid")))
                .credentials(Credentials.builder().put("weather_now", Credential.secret(KEY)).build()).build();
        server.enqueue(new MockResponse().setBody("{}"));

        String logs = capturingLogs(() -> executor.execute("get_forecast_for_weather_now", "{\"city\": \"Oslo\"}"));

        assertThat(logs).contains("appid=[redacted]").doesNotContain(KEY);
    }

    @Test
    void apiKeyInQueryIsSentAndScrubbedFromTheEchoedUrl() throws Exception {
        HttpToolExecutor executor = executor(weather(AuthSpec.apiKeyQuery("appid")))
                .credentials(Credentials.builder().environment(java.util.Map.of("TROUPE_TOOL_WEATHER_NOW_KEY", KEY)).build()).build();
        server.enqueue(new MockResponse().setBody("{\"url\": \"" + server.url("/cities/Oslo/forecast?appid=" + KEY) + "\"}"));

        Observation observation = executor.execute("get_forecast_for_weather_now", "{\"city\": \"Oslo\"}");

        assertThat(server.takeRequest().getRequestUrl().queryParameter("appid")).isEqualTo(KEY);
        assertThat(observation.text()).doesNotContain(KEY).contains("appid=[redacted]");
    }

    @Test
    void bearerAndBasicCredentialsGoInTheAuthorizationHeader() throws Exception {
        HttpToolExecutor bearer = executor(weather(AuthSpec.bearer()))
                .credentials(Credentials.builder().put("weather_now", Credential.secret(KEY)).build()).build();
        HttpToolExecutor basic = executor(weather(AuthSpec.basic()))
                .credentials(Credentials.builder().put("weather_now", Credential.basic("ann", "pa55word")).build()).build();
        server.enqueue(new MockResponse().setBody("{}"));
        server.enqueue(new MockResponse().setBody("{\"seen\": \"" + okhttp3.Credentials.basic("ann", "pa55word") + "\"}"));

        bearer.execute("get_forecast_for_weather_now", "{\"city\": \"Oslo\"}");
        Observation observation = basic.execute("get_forecast_for_weather_now", "{\"city\": \"Oslo\"}");

        assertThat(server.takeRequest().getHeader("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(server.takeRequest().getHeader("Authorization")).isEqualTo(okhttp3.Credentials.basic("ann", "pa55word"));
        assertThat(observation.text()).doesNotContain("pa55word").doesNotContain(okhttp3.Credentials.basic("ann", "pa55word").substring(6));
    }

    @Test
    void retriesIdempotentCallsOn503HonouringRetryAfter() {
        HttpToolExecutor executor = executor(weather(AuthSpec.none())).build();
        server.enqueue(new MockResponse().setResponseCode(503).setHeader("Retry-After", "2"));
        server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "1"));
        server.enqueue(new MockResponse().setBody("{\"ok\": true}"));

        Observation observation = executor.execute("get_forecast_for_weather_now", "{\"city\": \"Oslo\"}");

        assertThat(observation.kind()).isEqualTo(ObservationKind.OK);
        assertThat(observation.attempts()).isEqualTo(3);
        assertThat(sleeps).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(1));
    }

    @Test
    void honoursARetryAfterInFractionalSecondsOrAsAnHttpDate() {
        HttpToolExecutor executor = executor(weather(AuthSpec.none())).build();
        server.enqueue(new MockResponse().setResponseCode(503).setHeader("Retry-After", "0.25"));
        server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "Thu, 01 Jan 2015 00:00:00 GMT"));
        server.enqueue(new MockResponse().setBody("{\"ok\": true}"));

        Observation observation = executor.execute("get_forecast_for_weather_now", "{\"city\": \"Oslo\"}");

        assertThat(observation.kind()).isEqualTo(ObservationKind.OK);
        assertThat(observation.attempts()).isEqualTo(3);
        // A date already past means retry now.
        assertThat(sleeps).containsExactly(Duration.ofMillis(250), Duration.ZERO);
    }

    @Test
    void doesNotWaitForARetryAfterBeyondTheBoundAndSaysWhenToRetry() {
        HttpToolExecutor executor = executor(weather(AuthSpec.none())).maxRetryAfter(Duration.ofSeconds(5)).build();
        server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "3600"));

        Observation observation = executor.execute("get_forecast_for_weather_now", "{\"city\": \"Oslo\"}");

        assertThat(observation.kind()).isEqualTo(ObservationKind.RATE_LIMITED);
        assertThat(observation.attempts()).isEqualTo(1);
        assertThat(sleeps).isEmpty();
        assertThat(observation.text()).contains("retry after 3600 s");
    }

    @Test
    void neverRetriesAPost() {
        HttpToolExecutor executor = executor(weather(AuthSpec.none())).build();
        server.enqueue(new MockResponse().setResponseCode(503));
        server.enqueue(new MockResponse().setBody("{}"));

        Observation observation = executor.execute("create_alert_for_weather_now", "{\"level\": 2}");

        assertThat(observation.kind()).isEqualTo(ObservationKind.SERVER_ERROR);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void retriesAGetWhoseJsonBodyIsCutOrBrokenAndReportsEachObservation() {
        List<Observation> reported = new ArrayList<>();
        HttpToolExecutor executor = executor(weather(AuthSpec.none())).onObservation(reported::add).build();
        server.enqueue(new MockResponse().setHeader("Content-Type", "application/json").setBody("{\"temp_c\": 1"));
        server.enqueue(new MockResponse().setHeader("Content-Type", "application/json").setBody("<html>502 Bad Gateway</html>"));
        server.enqueue(new MockResponse().setHeader("Content-Type", "application/json").setBody("{\"temp_c\": 18}"));

        Observation observation = executor.execute("get_forecast_for_weather_now", "{\"city\": \"Oslo\"}");

        assertThat(observation.kind()).isEqualTo(ObservationKind.OK);
        assertThat(observation.attempts()).isEqualTo(3);
        assertThat(sleeps).hasSize(2);
        assertThat(reported).containsExactly(observation);
    }

    @Test
    void aPostWithABrokenJsonAnswerIsNotRetriedAndSaysItMayHaveTakenEffect() {
        HttpToolExecutor executor = executor(weather(AuthSpec.none())).build();
        server.enqueue(new MockResponse().setHeader("Content-Type", "application/json").setBody("{\"alert_id\": \"AL"));

        Observation observation = executor.execute("create_alert_for_weather_now", "{\"level\": 2}");

        assertThat(observation.kind()).isEqualTo(ObservationKind.MALFORMED_RESPONSE);
        assertThat(observation.attempts()).isEqualTo(1);
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(observation.text()).contains("cut off or malformed").contains("may have taken effect").contains("{\\\"alert_id\\\": \\\"AL");
    }

    @Test
    void aPostWhoseConnectionDropsIsNotRetriedAndSaysItMayHaveTakenEffect() {
        HttpToolExecutor executor = executor(weather(AuthSpec.none())).build();
        server.enqueue(new MockResponse().setBody("{\"alert_id\": \"AL-1\"}").setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));

        Observation observation = executor.execute("create_alert_for_weather_now", "{\"level\": 2}");

        assertThat(observation.kind()).isEqualTo(ObservationKind.TRANSPORT_ERROR);
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(observation.text()).contains("the POST may have taken effect");
    }

    @Test
    void givesUpAfterMaxAttemptsOnPersistent5xx() {
        HttpToolExecutor executor = executor(weather(AuthSpec.none())).maxAttempts(3).build();
        for (int i = 0; i < 3; i++) {
            server.enqueue(new MockResponse().setResponseCode(502));
        }

        Observation observation = executor.execute("get_forecast_for_weather_now", "{\"city\": \"Oslo\"}");

        assertThat(observation.kind()).isEqualTo(ObservationKind.SERVER_ERROR);
        assertThat(observation.text()).contains("after 3 attempt(s)");
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void readsNoMoreThanTheResponseCapAndKeepsTheObservationWithinItsCap() {
        HttpToolExecutor executor = executor(weather(AuthSpec.none())).maxResponseBytes(10_000).maxObservationChars(500).build();
        server.enqueue(new MockResponse().setBody("x".repeat(200_000)));
        server.enqueue(new MockResponse().setBody("[" + "\"item\",".repeat(300) + "\"end\"]"));

        Observation huge = executor.execute("get_forecast_for_weather_now", "{\"city\": \"Oslo\"}");
        Observation long_ = executor.execute("get_forecast_for_weather_now", "{\"city\": \"Oslo\"}");

        assertThat(huge.truncated()).isTrue();
        assertThat(huge.text().length()).isLessThanOrEqualTo(500);
        assertThat(long_.truncated()).isTrue();
        assertThat(long_.text().length()).isLessThanOrEqualTo(500);
        assertThat(long_.text()).contains("truncated");
    }

    @Test
    void unknownFunctionNamesTheClosestOnes() {
        HttpToolExecutor executor = executor(weather(AuthSpec.none())).build();

        Observation observation = executor.execute("get_forcast_for_weather_now", "{}");

        assertThat(observation.kind()).isEqualTo(ObservationKind.UNKNOWN_FUNCTION);
        assertThat(observation.text()).contains("get_forecast_for_weather_now");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void badArgumentsAreExplainedAgainstTheSchemaAndNeverSent() throws Exception {
        HttpToolExecutor executor = executor(weather(AuthSpec.none())).build();

        Observation missing = executor.execute("get_forecast_for_weather_now", "{\"days\": 2}");
        Observation wrongType = executor.execute("get_forecast_for_weather_now", "{\"city\": \"Oslo\", \"days\": \"soon\"}");
        Observation wrongEnum = executor.execute("get_forecast_for_weather_now", "{\"city\": \"Oslo\", \"units\": \"kelvin\"}");
        Observation unknown = executor.execute("get_forecast_for_weather_now", "{\"city\": \"Oslo\", \"town\": \"x\"}");
        Observation notJson = executor.execute("get_forecast_for_weather_now", "{city: Oslo");

        assertThat(List.of(missing, wrongType, wrongEnum, unknown, notJson))
                .allSatisfy(o -> assertThat(o.kind()).isEqualTo(ObservationKind.BAD_ARGUMENTS));
        assertThat(MAPPER.readTree(missing.text()).get("error").asText()).contains("city").contains("required");
        assertThat(wrongType.text()).contains("days").contains("integer");
        assertThat(wrongEnum.text()).contains("metric");
        assertThat(unknown.text()).contains("unknown argument 'town'");
        assertThat(notJson.text()).contains("not valid JSON");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void notFoundTellsTheModelToCheckItsIdentifiers() {
        HttpToolExecutor executor = executor(weather(AuthSpec.none())).build();
        server.enqueue(new MockResponse().setResponseCode(404).setBody("no such city"));

        Observation observation = executor.execute("get_forecast_for_weather_now", "{\"city\": \"Atlantis\"}");

        assertThat(observation.kind()).isEqualTo(ObservationKind.CLIENT_ERROR);
        assertThat(observation.text()).contains("HTTP 404").contains("check the identifiers").contains("no such city");
    }

    @Test
    void aSlowServerBecomesATimeoutObservation() {
        HttpToolExecutor executor = executor(weather(AuthSpec.none())).readTimeout(Duration.ofMillis(300)).maxAttempts(2).build();
        server.enqueue(new MockResponse().setBody("{}").setHeadersDelay(2, TimeUnit.SECONDS));
        server.enqueue(new MockResponse().setBody("{}").setHeadersDelay(2, TimeUnit.SECONDS));

        Observation observation = executor.execute("get_forecast_for_weather_now", "{\"city\": \"Oslo\"}");

        assertThat(observation.kind()).isEqualTo(ObservationKind.TIMEOUT);
        assertThat(observation.attempts()).isEqualTo(2);
        assertThat(observation.text()).contains("within the timeout");
    }

    @Test
    void aDroppedConnectionBecomesATransportErrorObservation() {
        HttpToolExecutor executor = executor(weather(AuthSpec.none())).maxAttempts(1).build();
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));

        Observation observation = executor.execute("get_forecast_for_weather_now", "{\"city\": \"Oslo\"}");

        assertThat(observation.kind()).isIn(ObservationKind.TRANSPORT_ERROR, ObservationKind.TIMEOUT);
        assertThat(observation.text()).contains("the connection to").contains("try again later");
    }

    @Test
    void aToolWithoutBaseUrlIsReportedAsNotConfigured() {
        HttpToolExecutor executor = HttpToolExecutor.builder(ToolFunctions.of(List.of(weather(AuthSpec.none())))).build();

        Observation observation = executor.execute("get_forecast_for_weather_now", "{\"city\": \"Oslo\"}");

        assertThat(observation.kind()).isEqualTo(ObservationKind.NOT_CONFIGURED);
    }

    // --- egress ---

    @Test
    void loopbackIsBlockedByDefaultAndNothingIsSent() {
        HttpToolExecutor executor = HttpToolExecutor.builder(ToolFunctions.of(List.of(weather(AuthSpec.none()))))
                .baseUrl("weather_now", "http://127.0.0.1:" + server.getPort()).build();
        server.enqueue(new MockResponse().setBody("{}"));

        Observation observation = executor.execute("get_forecast_for_weather_now", "{\"city\": \"Oslo\"}");

        assertThat(observation.kind()).isEqualTo(ObservationKind.BLOCKED);
        assertThat(observation.text()).contains("127.0.0.1").contains("loopback");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void aNameThatResolvesToAPrivateAddressIsBlockedBeforeConnecting() {
        Dns fake = host -> List.of(InetAddress.getByAddress(host, new byte[] {10, 0, 0, 5}));
        HttpToolExecutor executor = HttpToolExecutor.builder(ToolFunctions.of(List.of(weather(AuthSpec.none()))))
                .baseUrl("weather_now", "http://api.weather.example/v1").dns(fake).maxAttempts(1).build();

        Observation observation = executor.execute("get_forecast_for_weather_now", "{\"city\": \"Oslo\"}");

        assertThat(observation.kind()).isEqualTo(ObservationKind.BLOCKED);
        assertThat(observation.text()).contains("api.weather.example resolves to 10.0.0.5").contains("private");
    }

    @Test
    void aRedirectToTheMetadataAddressIsBlocked() {
        HttpToolExecutor executor = executor(weather(AuthSpec.none())).build();
        server.enqueue(new MockResponse().setResponseCode(302).setHeader("Location", "http://169.254.169.254/latest/meta-data/"));

        Observation observation = executor.execute("get_forecast_for_weather_now", "{\"city\": \"Oslo\"}");

        assertThat(observation.kind()).isEqualTo(ObservationKind.BLOCKED);
        assertThat(observation.text()).contains("169.254.169.254").contains("metadata");
    }

    @Test
    void aRedirectToANameResolvingToLoopbackIsBlocked() {
        Dns fake = host -> host.equals("internal.example")
                ? List.of(InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1})) : Dns.SYSTEM.lookup(host);
        HttpToolExecutor executor = executor(weather(AuthSpec.none())).dns(fake).maxAttempts(1).build();
        server.enqueue(new MockResponse().setResponseCode(307).setHeader("Location", "http://internal.example:" + server.getPort() + "/admin"));
        server.enqueue(new MockResponse().setBody("{\"secret\": true}"));

        Observation observation = executor.execute("get_forecast_for_weather_now", "{\"city\": \"Oslo\"}");

        assertThat(observation.kind()).isEqualTo(ObservationKind.BLOCKED);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aSameOriginRedirectIsFollowedWithCredentialsButACrossOriginOneWithout() throws Exception {
        MockWebServer other = new MockWebServer();
        other.start(InetAddress.getLoopbackAddress(), 0);
        try {
            HttpToolExecutor executor = executor(weather(AuthSpec.apiKeyHeader("X-Api-Key")))
                    .egressPolicy(EgressPolicy.builder().allowHost(server.getHostName()).allowHost("127.0.0.1").build())
                    .credentials(Credentials.builder().put("weather_now", Credential.secret(KEY)).build()).build();
            server.enqueue(new MockResponse().setResponseCode(301).setHeader("Location", "/v2/cities/Oslo/forecast"));
            server.enqueue(new MockResponse().setResponseCode(302).setHeader("Location", "http://127.0.0.1:" + other.getPort() + "/mirror"));
            other.enqueue(new MockResponse().setBody("{\"mirrored\": true}"));

            Observation observation = executor.execute("get_forecast_for_weather_now", "{\"city\": \"Oslo\"}");

            assertThat(observation.kind()).isEqualTo(ObservationKind.OK);
            server.takeRequest();
            assertThat(server.takeRequest().getHeader("X-Api-Key")).isEqualTo(KEY);
            assertThat(other.takeRequest().getHeader("X-Api-Key")).isNull();
        } finally {
            other.shutdown();
        }
    }

    /** Runs {@code action} with System.err captured; slf4j-simple (debug for this package) logs there. */
    private static String capturingLogs(ThrowingRunnable action) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream original = System.err;
        System.setErr(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
