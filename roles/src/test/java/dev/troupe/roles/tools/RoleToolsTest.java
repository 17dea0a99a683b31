package dev.troupe.roles.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.agents.tool.ActionTool;
import dev.troupe.agents.tool.ToolProvider;
import dev.troupe.retrieval.catalog.ImportProgress;
import dev.troupe.roles.Source;
import dev.troupe.roles.TeamLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoleToolsTest {

    /** The reflection-demo's two-endpoint weather API, as a file the test may change. */
    private static Path weatherSpec(Path dir) throws IOException {
        Path spec = dir.resolve("weather.openapi.yaml");
        try (InputStream in = Source.resource("/dev/troupe/roles/builtin/reflection-demo/weather.openapi.yaml", "spec").open()) {
            Files.copy(in, spec);
        }
        return spec;
    }

    private static RoleTools load(Path spec) {
        return load(spec, ", retrieve: 1, mode: bm25");
    }

    private static RoleTools load(Path spec, String moreKeys) {
        return TeamLoader.parse("""
                name: weather
                roles:
                  - name: Scout
                    watch: [UserRequirement]
                    tools: {specs: ['%s']%s}
                    actions: [{name: Forecast, instruction: "{{requirement}}"}]
                """.formatted(spec.toAbsolutePath(), moreKeys), "weather.yaml").tools().getFirst();
    }

    @Test
    void buildsTheRetrievalCatalogOnceInTheWorkspaceReopensItAndBuildsAnewWhenTheSpecChanges(@TempDir Path dir) throws IOException {
        Path spec = weatherSpec(dir);
        Path ws = dir.resolve("ws");

        RoleTools.CatalogReady first = load(spec).prepareCatalog(ws, ImportProgress.none()).orElseThrow();
        RoleTools tools = load(spec);
        RoleTools.CatalogReady again = tools.prepareCatalog(ws, ImportProgress.none()).orElseThrow();

        assertThat(first.built()).isTrue();
        assertThat(first.folder()).startsWith(ws.resolve(".troupe/catalogs")).isDirectory();
        assertThat(first.functions()).isEqualTo(2);
        assertThat(first.embedding()).isEqualTo("none (BM25 only)");
        assertThat(again.built()).isFalse();
        assertThat(again.folder()).isEqualTo(first.folder());
        ToolProvider.Choice choice = tools.choose("the current weather for a city id");
        assertThat(choice.how()).isEqualTo("bm25 retrieval, top 1 of 2 functions");
        assertThat(choice.tools()).extracting(ActionTool::name).containsExactly("getweather_for_city_weather");
        assertThat(choice.scores()).singleElement().satisfies(s -> assertThat(s).isPositive());

        Files.writeString(spec, Files.readString(spec).replace("Current weather for a city id", "Weather now, by city id"));
        RoleTools.CatalogReady changed = load(spec).prepareCatalog(ws, ImportProgress.none()).orElseThrow();
        assertThat(changed.built()).isTrue();
        assertThat(changed.folder()).isNotEqualTo(first.folder());
    }

    @Test
    void aWorkspaceCatalogWrittenInAnotherFormatIsBuiltAgainInPlace(@TempDir Path dir) throws IOException {
        Path spec = weatherSpec(dir);
        Path ws = dir.resolve("ws");
        RoleTools.CatalogReady first = load(spec).prepareCatalog(ws, ImportProgress.none()).orElseThrow();
        Path manifest = first.folder().resolve("catalog.json");
        Files.writeString(manifest, Files.readString(manifest).replaceFirst("\"format\"\\s*:\\s*\\d+", "\"format\" : 1"));

        RoleTools tools = load(spec);
        RoleTools.CatalogReady rebuilt = tools.prepareCatalog(ws, ImportProgress.none()).orElseThrow();

        assertThat(rebuilt.built()).isTrue();
        assertThat(rebuilt.folder()).isEqualTo(first.folder());
        assertThat(rebuilt.functions()).isEqualTo(2);
        assertThat(Files.readString(manifest)).doesNotContain("\"format\" : 1");
        assertThat(tools.choose("the current weather for a city id").tools()).extracting(ActionTool::name)
                .containsExactly("getweather_for_city_weather");
    }

    @Test
    void aWorkspaceCatalogWhoseImportDidNotFinishIsBuiltAgain(@TempDir Path dir) throws IOException {
        Path spec = weatherSpec(dir);
        Path ws = dir.resolve("ws");
        RoleTools.CatalogReady first = load(spec).prepareCatalog(ws, ImportProgress.none()).orElseThrow();
        Path manifest = first.folder().resolve("catalog.json");
        assertThat(Files.readString(manifest)).containsPattern("\"complete\"\\s*:\\s*true");
        // What a killed import leaves: the manifest written at its start, before the index was complete.
        Files.writeString(manifest, Files.readString(manifest).replaceFirst("\"complete\"\\s*:\\s*true", "\"complete\" : false"));

        RoleTools.CatalogReady again = load(spec).prepareCatalog(ws, ImportProgress.none()).orElseThrow();

        assertThat(again.built()).isTrue();
        assertThat(again.functions()).isEqualTo(2);
        assertThat(Files.readString(manifest)).containsPattern("\"complete\"\\s*:\\s*true");
    }

    @Test
    void toolsWithoutRetrievalNeedNoCatalogAndOfferEveryFunction(@TempDir Path dir) throws IOException {
        Path spec = weatherSpec(dir);
        RoleTools tools = load(spec, "");

        assertThat(tools.retrieves()).isFalse();
        assertThat(tools.prepareCatalog(dir.resolve("ws"), ImportProgress.none())).isEmpty();
        assertThat(tools.choose("anything").tools()).extracting(ActionTool::name)
                .containsExactlyInAnyOrder("findcity_for_city_weather", "getweather_for_city_weather");
        assertThat(tools.choose("anything").how()).isEqualTo("the role's 2 function(s)");
    }
}
