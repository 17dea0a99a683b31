package dev.troupe.tools.function;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import dev.langchain4j.internal.JsonSchemaElementJsonUtils;
import dev.troupe.tools.spec.ApiSpec;
import dev.troupe.tools.spec.Endpoint;
import dev.troupe.tools.spec.Param;
import dev.troupe.tools.spec.ParamLocation;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ToolFunctionsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void namesFollowToolBench() {
        assertThat(FunctionNames.functionName("Songkick concert", "TheClique")).isEqualTo("songkick_concert_for_theclique");
        assertThat(FunctionNames.functionName("Get /v1/users/{id}", "My-API 2.0")).isEqualTo("get_v1_users_id_for_my_api_2_0");
        assertThat(FunctionNames.functionName("id", "x")).isEqualTo("is_id_for_x");
        assertThat(FunctionNames.functionName("24h stats", "Coin")).isEqualTo("get_24h_stats_for_coin");
        assertThat(FunctionNames.standardize("天气预报", "api")).matches("api_[0-9a-f]{8}");
    }

    @Test
    void longNamesKeepTheirLast64CharactersSoTheToolSuffixSurvives() {
        String name = FunctionNames.functionName("Retrieve the complete historical list of every transfer ever made", "Transfermarkt DB");

        assertThat(name).hasSize(64).endsWith("_for_transfermarkt_db").matches("[a-z0-9_]+");
    }

    @Test
    void namesAreUniqueWithinACatalogAndStable() {
        String longApi = "Get the detailed statistics of a football player for the current season";
        ApiSpec a = ApiSpec.builder("Football Data").endpoint(Endpoint.builder("Get User").build())
                .endpoint(Endpoint.builder("get-user").build())
                .endpoint(Endpoint.builder(longApi + " A").build())
                .endpoint(Endpoint.builder(longApi + " B").build()).build();
        ApiSpec b = ApiSpec.builder("football_data").endpoint(Endpoint.builder("Get User").build()).build();

        ToolFunctions functions = ToolFunctions.of(List.of(a, b));
        List<String> names = functions.all().stream().map(ToolFunction::name).toList();

        assertThat(new HashSet<>(names)).hasSize(5);
        assertThat(names).allSatisfy(n -> assertThat(n).hasSizeLessThanOrEqualTo(64).matches("[a-z0-9_]+"));
        assertThat(names.get(0)).isEqualTo("get_user_for_football_data");
        assertThat(names.get(1)).isEqualTo("get_user_for_football_data_2");
        assertThat(functions.all().get(4).toolKey()).isEqualTo("football_data_2");
        assertThat(ToolFunctions.of(List.of(a, b)).all().stream().map(ToolFunction::name).toList()).isEqualTo(names);
    }

    @Test
    void parametersBecomeAValidJsonSchemaThatLangChain4jCarriesUnchanged() throws Exception {
        ApiSpec spec = ApiSpec.builder("Flights").endpoint(Endpoint.builder("Search flights").path("/flights/{from}")
                .param(Param.builder("from", ParamLocation.PATH).description("IATA code").build())
                .param(Param.builder("date", ParamLocation.QUERY).format("date").required(true).build())
                .param(Param.builder("class", ParamLocation.QUERY).enumValues(List.of("economy", "business"))
                        .defaultValue(MAPPER.getNodeFactory().textNode("economy")).build())
                .param(Param.builder("max-stops", ParamLocation.QUERY).type("integer").build())
                .param(Param.builder("Id", ParamLocation.HEADER).build())
                .param(Param.builder("id", ParamLocation.BODY).type("number").build())
                .build()).build();

        ToolFunction f = ToolFunctions.of(List.of(spec)).all().get(0);
        JsonNode schema = f.parametersSchema();

        assertThat(schema.get("properties").fieldNames()).toIterable()
                .containsExactly("is_from", "date", "is_class", "max_stops", "is_id", "is_id_2");
        assertThat(schema.get("required")).containsExactlyInAnyOrder(
                MAPPER.getNodeFactory().textNode("is_from"), MAPPER.getNodeFactory().textNode("date"));
        assertThat(schema.at("/properties/is_class/description").asText()).contains("Default: economy");
        assertThat(schema.get("additionalProperties").asBoolean()).isFalse();
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        // The draft 2020-12 meta-schema ships inside networknt, so this check needs no network.
        assertThat(factory.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema")).validate(schema)).isEmpty();
        assertThat(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema).validate(
                MAPPER.readTree("{\"is_from\": \"OSL\", \"date\": \"2025-01-02\", \"is_class\": \"business\", \"max_stops\": 1}"))).isEmpty();

        JsonNode carried = MAPPER.valueToTree(JsonSchemaElementJsonUtils.toMap(f.specification().parameters()));
        assertThat(carried.get("type").asText()).isEqualTo("object");
        assertThat(carried.at("/properties/is_class/enum")).hasSize(2);
        assertThat(carried.at("/properties/max_stops/type").asText()).isEqualTo("integer");
        assertThat(carried.at("/properties/is_id_2/type").asText()).isEqualTo("number");
        assertThat(carried.get("required")).hasSize(2);
        assertThat(f.arguments().get("is_id").location()).isEqualTo(ParamLocation.HEADER);
        assertThat(f.arguments().get("is_id_2").location()).isEqualTo(ParamLocation.BODY);
        assertThat(f.specification().description()).startsWith("This is the subfunction for tool \"Flights\"");
    }

    @Test
    void validatorCoercesWhatModelsSendAndReportsTheRest() {
        ApiSpec spec = ApiSpec.builder("T").endpoint(Endpoint.builder("E")
                .param(Param.builder("n", ParamLocation.QUERY).type("integer").required(true).build())
                .param(Param.builder("flag", ParamLocation.QUERY).type("boolean").build())
                .param(Param.builder("q", ParamLocation.QUERY).build()).build()).build();
        ToolFunction f = ToolFunctions.of(List.of(spec)).all().get(0);
        ArgumentValidator validator = new ArgumentValidator();

        ArgumentValidator.Result ok = validator.validate(f, "{\"n\": \"5\", \"flag\": \"true\", \"q\": 12}");
        ArgumentValidator.Result bad = validator.validate(f, "{\"flag\": \"maybe\"}");

        assertThat(ok.valid()).isTrue();
        assertThat(ok.arguments().get("n").isIntegralNumber()).isTrue();
        assertThat(ok.arguments().get("q").asText()).isEqualTo("12");
        Set<String> problems = new HashSet<>(bad.problems());
        assertThat(String.join(" ", problems)).contains("n").contains("boolean");
    }

    @Test
    void composedAndUntypedSchemasBecomeTypedElementsAModelCanFill() throws Exception {
        JsonNode allOf = MAPPER.readTree("""
                {"allOf": [{"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}},
                           {"properties": {"tags": {"items": {"type": "string"}}}}]}""");
        ApiSpec spec = ApiSpec.builder("Shop").endpoint(Endpoint.builder("Create item").method("POST")
                .param(new Param("item", ParamLocation.BODY, true, "", (com.fasterxml.jackson.databind.node.ObjectNode) allOf)).build()).build();

        ToolFunction f = ToolFunctions.of(List.of(spec)).all().get(0);
        JsonNode carried = MAPPER.valueToTree(JsonSchemaElementJsonUtils.toMap(f.specification().parameters()));

        assertThat(carried.at("/properties/item/type").asText()).isEqualTo("object");
        assertThat(carried.at("/properties/item/required/0").asText()).isEqualTo("name");
        assertThat(carried.at("/properties/item/properties/tags/type").asText()).isEqualTo("array");
        assertThat(f.parametersSchema().at("/properties/item/allOf")).hasSize(2);
    }
}
