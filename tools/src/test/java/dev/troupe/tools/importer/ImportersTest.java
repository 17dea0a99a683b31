package dev.troupe.tools.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.troupe.tools.error.CatalogException;
import dev.troupe.tools.error.SpecException;
import dev.troupe.tools.function.ToolFunction;
import dev.troupe.tools.function.ToolFunctions;
import dev.troupe.tools.spec.ApiSpec;
import dev.troupe.tools.spec.ApiSpecJson;
import dev.troupe.tools.spec.AuthScheme;
import dev.troupe.tools.spec.Endpoint;
import dev.troupe.tools.spec.Param;
import dev.troupe.tools.spec.ParamLocation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ImportersTest {
    static Path data() {
        return dev.troupe.tools.SharedData.stableToolBench();
    }
    static final Path SPECS = Path.of("src/test/resources/specs");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @ParameterizedTest
    @CsvSource({"G1_instruction.json, 810", "G1_category.json, 364", "G1_tool.json, 499"})
    void importsEveryDistinctApiOfAStableToolBenchFile(String file, int distinctApis) throws Exception {
        Path path = data().resolve(file);
        ImportResult result = SpecImporter.importPaths(List.of(path));

        assertThat(result.skipped()).isEmpty();
        assertThat(result.endpointCount()).isEqualTo(distinctApis);
        Set<String> expected = new HashSet<>();
        for (JsonNode q : MAPPER.readTree(path.toFile())) {
            q.path("api_list").forEach(a -> expected.add(a.get("tool_name").asText() + "/" + a.get("api_name").asText()));
        }
        Set<String> imported = new HashSet<>();
        result.specs().forEach(s -> s.endpoints().forEach(e -> imported.add(s.name() + "/" + e.name())));
        assertThat(imported).isEqualTo(expected);
        ToolFunctions functions = ToolFunctions.of(result.specs());
        assertThat(functions.all().stream().map(ToolFunction::name).distinct().count()).isEqualTo(distinctApis);
        assertThat(functions.all()).allSatisfy(f -> assertThat(f.name()).hasSizeLessThanOrEqualTo(64).matches("[a-z0-9_]+"));
    }

    @Test
    void keepsToolBenchParametersTypesDefaultsAndTemplates() {
        ApiSpec clique = SpecImporter.importPaths(List.of(data().resolve("G1_instruction.json"))).specs().stream()
                .filter(s -> s.name().equals("TheClique")).findFirst().orElseThrow();
        Endpoint concert = clique.endpoint("Songkick concert").orElseThrow();

        assertThat(clique.category()).isEqualTo("Data");
        assertThat(concert.method()).isEqualTo("GET");
        Param id = concert.params().get(0);
        assertThat(id.name()).isEqualTo("id_conc");
        assertThat(id.location()).isEqualTo(ParamLocation.QUERY);
        assertThat(id.required()).isTrue();
        assertThat(id.defaultValue().orElseThrow().asText()).isEqualTo("40698227-lumineers-at-aware-super-theatre");
        assertThat(concert.templateResponse().orElseThrow().has("line_up")).isTrue();
    }

    @Test
    void readsAToolBenchToolFileWithItsHostPathParametersAndCategoryFolder() {
        List<SkippedSpec> skipped = new ArrayList<>();
        ApiSpec tool = SpecImporter.importFile(SPECS.resolve("toolbench/Data/theclique.json"), skipped).get(0);

        assertThat(tool.category()).isEqualTo("Data");
        assertThat(tool.baseUrl()).contains("https://theclique.p.rapidapi.com");
        assertThat(tool.auth().scheme()).isEqualTo(AuthScheme.API_KEY_HEADER);
        assertThat(tool.headers()).containsEntry("X-RapidAPI-Host", "theclique.p.rapidapi.com");
        assertThat(tool.endpoint("Songkick concert").orElseThrow().path()).isEqualTo("/songkick/concert/{id_conc}");
        Endpoint search = tool.endpoint("Transfermarkt search").orElseThrow();
        assertThat(search.path()).isEqualTo("/transfermarkt/search/{name}");
        assertThat(search.params().get(1).type()).isEqualTo("number");
        assertThat(search.params().get(1).defaultValue().orElseThrow().asInt()).isEqualTo(10);
        assertThat(skipped).singleElement().satisfies(s -> assertThat(s.reason()).contains("api_list[2]").contains("no name"));
    }

    @Test
    void readsSwagger2WithRefsBodyAndApiKey() {
        ApiSpec pets = SpecImporter.importFile(SPECS.resolve("openapi/petstore-swagger2.yaml"), new ArrayList<>()).get(0);

        assertThat(pets.name()).isEqualTo("Swagger Petstore");
        assertThat(pets.baseUrl()).contains("https://petstore.swagger.io/v2");
        assertThat(pets.auth().scheme()).isEqualTo(AuthScheme.API_KEY_HEADER);
        assertThat(pets.auth().parameterName()).isEqualTo("api_key");
        Endpoint byId = pets.endpoint("getPetById").orElseThrow();
        assertThat(byId.params()).singleElement().satisfies(p -> {
            assertThat(p.location()).isEqualTo(ParamLocation.PATH);
            assertThat(p.type()).isEqualTo("integer");
        });
        assertThat(byId.responseSchema().orElseThrow().at("/properties/category/properties/name/type").asText()).isEqualTo("string");
        Endpoint add = pets.endpoint("addPet").orElseThrow();
        assertThat(add.params()).extracting(Param::name).containsExactly("id", "category", "name", "photoUrls", "status");
        assertThat(add.params()).filteredOn(Param::required).extracting(Param::name).containsExactly("name", "photoUrls");
        assertThat(pets.endpoint("findPetsByStatus").orElseThrow().params().get(0).schema().at("/items/enum")).hasSize(3);
    }

    @Test
    void readsOpenApi3WithServerVariablesParameterRefsHeadersAndCycles() {
        ApiSpec weather = SpecImporter.importFile(SPECS.resolve("openapi/weather-openapi3.json"), new ArrayList<>()).get(0);

        assertThat(weather.baseUrl()).contains("https://eu.weather.example.com/v1");
        assertThat(weather.category()).isEqualTo("location");
        assertThat(weather.auth().scheme()).isEqualTo(AuthScheme.API_KEY_QUERY);
        Endpoint forecast = weather.endpoint("getForecast").orElseThrow();
        assertThat(forecast.params()).extracting(Param::name).containsExactly("lat", "lon", "units", "X-Request-Id");
        assertThat(forecast.params().get(2).enumValues()).containsExactly("metric", "imperial");
        assertThat(forecast.params().get(3).location()).isEqualTo(ParamLocation.HEADER);
        JsonNode hour = forecast.responseSchema().orElseThrow().at("/properties/hours/items");
        assertThat(hour.at("/properties/temperature/type").asText()).isEqualTo("number");
        assertThat(hour.at("/properties/next/description").asText()).contains("not expanded further");
        Endpoint alert = weather.endpoint("createAlert").orElseThrow();
        assertThat(alert.method()).isEqualTo("POST");
        assertThat(alert.params()).allSatisfy(p -> assertThat(p.location()).isEqualTo(ParamLocation.BODY));
        assertThat(alert.params()).filteredOn(Param::required).extracting(Param::name).containsExactlyInAnyOrder("region", "level");
    }

    @Test
    void readsOpenApi31YamlWithARelativeServerAndBearerAuth() {
        ApiSpec notes = SpecImporter.importFile(SPECS.resolve("openapi/notes-openapi31.yaml"), new ArrayList<>()).get(0);

        assertThat(notes.baseUrl()).isEmpty();
        assertThat(notes.auth().scheme()).isEqualTo(AuthScheme.BEARER);
        assertThat(notes.endpoints()).extracting(Endpoint::path).containsExactly("/api/notes", "/api/notes/{id}");
        assertThat(notes.endpoint("List notes").orElseThrow().params().get(0).schema().get("type")).hasSize(2);
    }

    @Test
    void aFolderImportSkipsWhatItCannotUseAndGoesOn() {
        ImportResult result = SpecImporter.importPaths(List.of(SPECS));

        assertThat(result.filesRead()).isEqualTo(7);
        assertThat(result.specs()).extracting(ApiSpec::name)
                .containsExactlyInAnyOrder("Notes", "Swagger Petstore", "Open Weather Forecast", "TheClique");
        assertThat(result.skipped()).extracting(SkippedSpec::file).anySatisfy(f -> assertThat(f).endsWith("broken.json"))
                .anySatisfy(f -> assertThat(f).endsWith("not-a-spec.json")).anySatisfy(f -> assertThat(f).endsWith("no-paths.yaml"));
        assertThat(result.skipped()).filteredOn(s -> s.file().endsWith("broken.json"))
                .singleElement().satisfies(s -> assertThat(s.reason()).contains("not valid JSON at line"));
        assertThat(result.skipped()).filteredOn(s -> s.file().endsWith("not-a-spec.json"))
                .singleElement().satisfies(s -> assertThat(s.reason()).contains("not an API spec"));
    }

    @Test
    void aMissingPathIsAnErrorThatNamesIt() {
        assertThatThrownBy(() -> SpecImporter.importPaths(List.of(Path.of("no/such/specs"))))
                .isInstanceOf(SpecException.class).hasMessageContaining("no/such/specs").hasMessageContaining("check the path");
    }

    @Test
    void specsSurviveAJsonRoundTrip() {
        for (ApiSpec spec : SpecImporter.importPaths(List.of(SPECS)).specs()) {
            assertThat(ApiSpecJson.fromJson(ApiSpecJson.toJson(spec))).isEqualTo(spec);
        }
    }

    @Test
    void readsGzipCompressedSpecsLikeTheirPlainFiles(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path plain = SPECS.resolve("openapi/petstore-swagger2.yaml");
        Path compressed = dir.resolve("petstore.yaml.gz");
        try (var out = new java.util.zip.GZIPOutputStream(java.nio.file.Files.newOutputStream(compressed))) {
            java.nio.file.Files.copy(plain, out);
        }
        java.nio.file.Files.writeString(dir.resolve("broken.json.gz"), "not gzip at all");

        ImportResult fromFolder = SpecImporter.importPaths(List.of(dir));

        assertThat(fromFolder.filesRead()).isEqualTo(2);
        assertThat(fromFolder.specs()).singleElement().satisfies(s ->
                assertThat(s.endpoints()).isEqualTo(SpecImporter.importPaths(List.of(plain)).specs().get(0).endpoints()));
        assertThat(fromFolder.skipped()).singleElement().satisfies(s -> assertThat(s.toString()).contains("broken.json.gz")
                .contains("cannot be read"));
    }

    @Test
    void aFailingStoreStopsTheImportInsteadOfSkippingTheFileAsABadSpec() {
        List<Path> failed = new ArrayList<>();
        SpecVisitor storeFails = new SpecVisitor() {
            @Override
            public void spec(ApiSpec header) {
            }

            @Override
            public void endpoint(Endpoint endpoint) {
                throw new CatalogException("writing the catalog index failed (No space left on device)");
            }

            @Override
            public void fileFailed(Path file) {
                failed.add(file);
            }
        };

        assertThatThrownBy(() -> SpecImporter.stream(List.of(Path.of("src/test/resources/specs/openapi/petstore-swagger2.yaml")), storeFails))
                .isInstanceOf(CatalogException.class).hasMessageContaining("No space left on device");
        assertThat(failed).as("the file is not recorded as imported").isEmpty();
    }
}
