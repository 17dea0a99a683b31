package dev.troupe.tools.virtual;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.troupe.tools.egress.EgressPolicy;
import dev.troupe.tools.function.ToolFunction;
import dev.troupe.tools.function.ToolFunctions;
import dev.troupe.tools.http.HttpToolExecutor;
import dev.troupe.tools.http.Observation;
import dev.troupe.tools.http.ObservationKind;
import dev.troupe.tools.importer.SpecImporter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class VirtualApiServerTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static ToolFunctions functions;
    private static VirtualApiServer server;
    private static HttpToolExecutor executor;

    @BeforeAll
    static void serveTheG1CatalogAndTheOpenApiSamples() {
        functions = ToolFunctions.of(SpecImporter.importPaths(List.of(
                dev.troupe.tools.SharedData.file("G1_instruction.json"), Path.of("src/test/resources/specs/openapi"))).specs());
        Fixtures fixtures = Fixtures.of(List.of(
                new Fixture("transfermarkt_search_for_theclique", Map.of("name", "nobody"), 404,
                        MAPPER.createObjectNode().put("message", "no player called nobody")),
                new Fixture("transfermarkt_search_for_theclique", Map.of("name", "busy"), 429, MAPPER.createObjectNode())));
        server = VirtualApiServer.start(functions, fixtures, 0);
        executor = HttpToolExecutor.builder(functions).baseUrls(server.baseUrls())
                .egressPolicy(EgressPolicy.builder().allowHost(server.host()).build())
                .maxAttempts(1).build();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void answersInTheShapeOfTheTemplateResponseOverARealSocket() throws Exception {
        Observation observation = executor.execute("songkick_artist_for_theclique", "{\"artist_id\": \"520117-arctic-monkeys\"}");

        assertThat(observation.kind()).isEqualTo(ObservationKind.OK);
        JsonNode response = MAPPER.readTree(observation.text()).get("response");
        assertThat(response.fieldNames()).toIterable().containsExactly("appears_most_with", "bio", "distance_travelled", "fans_num",
                "image_url", "most_played", "name", "on_tour", "posters", "upcoming_events");
        assertThat(response.get("fans_num").isIntegralNumber()).isTrue();
        assertThat(response.get("appears_most_with").get(0).has("count")).isTrue();
        assertThat(response.get("appears_most_with").get(0).has("_list_length")).isFalse();
        assertThat(response.get("image_url").asText()).startsWith("https://");
        assertThat(response.at("/upcoming_events/0/location/city").isTextual()).isTrue();
    }

    @Test
    void theSameArgumentsGetTheSameAnswerAndOthersAnother() {
        String a = executor.execute("transfermarkt_search_for_theclique", "{\"name\": \"messi\"}").text();
        String again = executor.execute("transfermarkt_search_for_theclique", "{\"name\": \"messi\"}").text();
        String b = executor.execute("transfermarkt_search_for_theclique", "{\"name\": \"ronaldo\"}").text();

        assertThat(again).isEqualTo(a);
        assertThat(b).isNotEqualTo(a);
    }

    @Test
    void fixturesOverrideTheSynthesisedAnswerIncludingFaults() {
        Observation missing = executor.execute("transfermarkt_search_for_theclique", "{\"name\": \"nobody\"}");
        Observation limited = executor.execute("transfermarkt_search_for_theclique", "{\"name\": \"busy\"}");

        assertThat(missing.kind()).isEqualTo(ObservationKind.CLIENT_ERROR);
        assertThat(missing.text()).contains("no player called nobody");
        assertThat(limited.kind()).isEqualTo(ObservationKind.RATE_LIMITED);
    }

    @Test
    void answersFromTheResponseSchemaOfAnOpenApiEndpointUsingItsExamplesAndPathArguments() throws Exception {
        Observation pet = executor.execute("getpetbyid_for_swagger_petstore", "{\"petid\": 42}");
        Observation forecast = executor.execute("getforecast_for_open_weather_forecast", "{\"lat\": 59.9, \"lon\": 10.7, \"units\": \"metric\"}");

        assertThat(pet.kind()).isEqualTo(ObservationKind.OK);
        JsonNode body = MAPPER.readTree(pet.text()).get("response");
        assertThat(body.get("name").asText()).isEqualTo("doggie");
        assertThat(body.get("status").asText()).isIn("available", "pending", "sold");
        JsonNode hours = MAPPER.readTree(forecast.text()).at("/response/hours");
        assertThat(hours.isArray()).isTrue();
        double temperature = hours.get(0).get("temperature").asDouble();
        assertThat(temperature).isBetween(-40.0, 45.0);
    }

    @Test
    void reportsMissingRequiredParametersAndUnknownRoutesAsTheRealApiWould() throws Exception {
        ToolFunction concert = functions.byName("songkick_concert_for_theclique").orElseThrow();
        okhttp3.OkHttpClient client = new okhttp3.OkHttpClient();
        try (okhttp3.Response noArgs = client.newCall(new okhttp3.Request.Builder().url(server.baseUrl(concert) + concert.endpoint().path()).build()).execute();
             okhttp3.Response unknown = client.newCall(new okhttp3.Request.Builder().url(server.baseUrl(concert) + "/nope").build()).execute()) {
            assertThat(noArgs.code()).isEqualTo(400);
            assertThat(noArgs.body().string()).contains("id_conc");
            assertThat(unknown.code()).isEqualTo(404);
        }
    }

    @Test
    void aDefaultPolicyStillRefusesTheLoopbackServer() {
        HttpToolExecutor strict = HttpToolExecutor.builder(functions).baseUrls(server.baseUrls()).build();

        assertThat(strict.execute("songkick_concert_for_theclique", "{\"id_conc\": \"1\"}").kind()).isEqualTo(ObservationKind.BLOCKED);
    }
}
