package dev.troupe.tools.importer;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.troupe.tools.error.SpecException;
import dev.troupe.tools.function.ToolFunction;
import dev.troupe.tools.function.ToolFunctions;
import dev.troupe.tools.spec.ApiSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Feeds the spec importers arbitrary text, read once as a {@code .json} and once as a {@code .yaml}
 * file (so ToolBench tools, StableToolBench query files, OpenAPI 3 and Swagger 2 in both syntaxes are
 * all reachable), and turns what they import into functions: every rejection must be a
 * {@link SpecException} naming the file, every skipped part must name it too, and nothing else may be
 * thrown. In {@code mvn verify} it runs briefly in fuzzing mode; see README "Fuzzing" for longer runs.
 */
class SpecImporterFuzzTest {
    private static final Path DIR = temporaryFolder();

    @FuzzTest(maxDuration = "10s")
    void everyRejectionIsASpecExceptionNamingTheFile(FuzzedDataProvider data) {
        byte[] text = data.consumeRemainingAsString().getBytes(StandardCharsets.UTF_8);
        importAndCheck(DIR.resolve("fuzz-spec.json"), text);
        importAndCheck(DIR.resolve("fuzz-spec.yaml"), text);
    }

    private static void importAndCheck(Path file, byte[] text) {
        try {
            Files.write(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<SkippedSpec> skipped = new ArrayList<>();
        try {
            List<ApiSpec> specs = SpecImporter.importFile(file, skipped);
            // What roles and the catalog do next: every endpoint becomes a function with a valid schema.
            ToolFunctions.of(specs).all().forEach(ToolFunction::specification);
        } catch (SpecException e) {
            if (!e.file().equals(file.toString()) || !e.getMessage().startsWith(file.toString())) {
                throw new AssertionError("rejection does not name the file: " + e.getMessage(), e);
            }
        }
        for (SkippedSpec s : skipped) {
            if (!s.file().equals(file.toString()) || s.reason().isBlank()) {
                throw new AssertionError("a skipped part does not name the file or the reason: " + s);
            }
        }
    }

    private static Path temporaryFolder() {
        try {
            Path dir = Files.createTempDirectory("troupe-spec-fuzz-");
            dir.toFile().deleteOnExit();
            // Deleted in reverse order of registration: the files, then the folder.
            dir.resolve("fuzz-spec.json").toFile().deleteOnExit();
            dir.resolve("fuzz-spec.yaml").toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
