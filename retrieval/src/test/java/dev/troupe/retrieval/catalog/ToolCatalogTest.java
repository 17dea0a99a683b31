package dev.troupe.retrieval.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.troupe.retrieval.EmbeddingModels;
import dev.troupe.retrieval.SearchMode;
import dev.troupe.tools.TestSpecs;
import dev.troupe.tools.error.CatalogException;
import dev.troupe.tools.function.ToolFunction;
import dev.troupe.tools.importer.SkippedSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolCatalogTest {
    private static final Path SPECS = TestSpecs.dir();

    @Test
    void importsEmbedsAndReopensWithoutReEmbedding(@TempDir Path dir) {
        List<SkippedSpec> skipped = new ArrayList<>();
        List<int[]> progress = new ArrayList<>();
        ImportProgress listener = new ImportProgress() {
            @Override
            public void skipped(SkippedSpec s) {
                skipped.add(s);
            }

            @Override
            public void indexed(int done, int total) {
                progress.add(new int[] {done, total});
            }
        };

        ImportReport first = ToolCatalog.importSpecs(List.of(SPECS), dir, Optional.of(EmbeddingModels.DEFAULT), listener);
        ImportReport again = ToolCatalog.importSpecs(List.of(SPECS), dir, Optional.of(EmbeddingModels.DEFAULT), ImportProgress.none());

        assertThat(first.functions()).isEqualTo(9);
        assertThat(first.indexed()).isEqualTo(9);
        assertThat(skipped).hasSize(4);
        assertThat(progress.get(progress.size() - 1)).containsExactly(9, 9);
        assertThat(again.indexed()).isZero();
        assertThat(again.reused()).isEqualTo(9);
        // Unchanged files are not read again, but what they skipped is still reported.
        assertThat(again.skipped()).containsExactlyInAnyOrderElementsOf(first.skipped());
        try (ToolCatalog catalog = ToolCatalog.open(dir)) {
            assertThat(catalog.embeddingModel()).contains(EmbeddingModels.DEFAULT);
            assertThat(catalog.functions().size()).isEqualTo(9);
            for (SearchMode mode : SearchMode.values()) {
                assertThat(catalog.search("hourly weather forecast for a latitude and longitude", 3, mode))
                        .first().satisfies(hit -> assertThat(hit.function().name()).isEqualTo("getforecast_for_open_weather_forecast"));
            }
            assertThat(catalog.search("find a pet by its id", 1, SearchMode.HYBRID).get(0).function().endpoint().name()).isEqualTo("getPetById");
        }
    }

    @Test
    void aBm25OnlyCatalogOfAG1FileFindsTheLabelledApi(@TempDir Path dir) {
        ToolCatalog.importSpecs(List.of(dev.troupe.tools.SharedData.file("G1_tool.json")), dir, Optional.empty(), ImportProgress.none());

        try (ToolCatalog catalog = ToolCatalog.open(dir)) {
            List<CatalogHit> hits = catalog.search("find the most viewed landscape drawing tutorial video on youtube", 5, SearchMode.BM25);
            assertThat(hits).extracting(h -> h.function().tool().name()).contains("Simple YouTube Search");
            assertThatThrownBy(() -> catalog.search("anything", 5, SearchMode.DENSE))
                    .isInstanceOf(CatalogException.class).hasMessageContaining("only bm25");
        }
    }

    @Test
    void addingSpecsLaterKeepsTheEarlierOnesAndTheirFunctionNames(@TempDir Path dir) {
        ToolCatalog.importSpecs(List.of(SPECS.resolve("openapi/petstore-swagger2.yaml")), dir, Optional.empty(), ImportProgress.none());
        ImportReport second = ToolCatalog.importSpecs(List.of(SPECS.resolve("toolbench")), dir, Optional.empty(), ImportProgress.none());

        assertThat(second.tools()).isEqualTo(2);
        assertThat(second.reused()).isZero();
        assertThat(second.functions()).isEqualTo(3 + second.indexed());
        try (ToolCatalog catalog = ToolCatalog.open(dir)) {
            assertThat(catalog.functions().byName("getpetbyid_for_swagger_petstore")).isPresent();
            assertThat(catalog.functions().byName("songkick_concert_for_theclique")).isPresent();
        }
    }

    @Test
    void anImportStoppedHalfWayResumesWithTheFilesItHadNotFinished(@TempDir Path dir, @TempDir Path clean) {
        Path specs = SPECS.resolve("openapi");
        ImportProgress stopsAtTheThirdFile = new ImportProgress() {
            private int files;

            @Override
            public void readingFile(Path file) {
                if (++files == 3) {
                    throw new IllegalStateException("stopped");
                }
            }
        };
        // Committing after every batch stands in for an import that ran long enough to commit before it was stopped.
        assertThatThrownBy(() -> ToolCatalog.importSpecs(List.of(specs), dir, Optional.empty(), stopsAtTheThirdFile, Duration.ZERO))
                .hasMessage("stopped");

        ImportReport resumed = ToolCatalog.importSpecs(List.of(specs), dir, Optional.empty(), ImportProgress.none());
        ImportReport uninterrupted = ToolCatalog.importSpecs(List.of(specs), clean, Optional.empty(), ImportProgress.none());

        assertThat(resumed.reused()).isPositive();
        assertThat(resumed.indexed()).isPositive();
        assertThat(resumed.reused() + resumed.indexed()).isEqualTo(uninterrupted.functions());
        assertThat(resumed.skipped()).containsExactlyInAnyOrderElementsOf(uninterrupted.skipped());
        try (ToolCatalog a = ToolCatalog.open(dir); ToolCatalog b = ToolCatalog.open(clean)) {
            assertThat(a.functions().all()).extracting(f -> f.name()).containsExactlyElementsOf(b.functions().all().stream().map(f -> f.name()).toList());
            assertThat(a.specs()).isEqualTo(b.specs());
        }
    }

    @Test
    void searchHitsAndLookupsReadOneFunctionAsTheFullLoadHasIt(@TempDir Path dir) {
        ToolCatalog.importSpecs(List.of(SPECS), dir, Optional.empty(), ImportProgress.none());

        try (ToolCatalog catalog = ToolCatalog.open(dir)) {
            assertThat(catalog.size()).isEqualTo(catalog.functions().size());
            for (ToolFunction full : catalog.functions().all()) {
                ToolFunction one = catalog.function(full.name()).orElseThrow();
                assertThat(one.endpoint()).isEqualTo(full.endpoint());
                assertThat(one.toolKey()).isEqualTo(full.toolKey());
                assertThat(one.parametersSchema()).isEqualTo(full.parametersSchema());
                assertThat(one.specification()).isEqualTo(full.specification());
                assertThat(one.tool().baseUrl()).isEqualTo(full.tool().baseUrl());
                assertThat(one.tool().auth()).isEqualTo(full.tool().auth());
            }
            assertThat(catalog.function("no_such_function")).isEmpty();
        }
    }

    @Test
    void aCatalogKeepsTheEmbeddingModelItWasBuiltWith(@TempDir Path dir) {
        ToolCatalog.importSpecs(List.of(SPECS.resolve("toolbench")), dir, Optional.empty(), ImportProgress.none());

        assertThatThrownBy(() -> ToolCatalog.importSpecs(List.of(SPECS.resolve("openapi")), dir, Optional.of(EmbeddingModels.DEFAULT),
                ImportProgress.none())).isInstanceOf(CatalogException.class).hasMessageContaining("without embeddings")
                .hasMessageContaining("--no-embeddings");
    }

    @Test
    void openingAFolderThatIsNoCatalogSaysWhatToDo(@TempDir Path dir) {
        assertThatThrownBy(() -> ToolCatalog.open(dir)).isInstanceOf(CatalogException.class)
                .hasMessageContaining("not a tool catalog").hasMessageContaining("import");
    }
}
