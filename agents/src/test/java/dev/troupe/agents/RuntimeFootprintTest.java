package dev.troupe.agents;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * An application that depends on troupe-agents gets its runtime dependencies too; retrieval, JDBC drivers
 * and spec parsing live in other artifacts so that this stays small. The build writes the resolved runtime
 * class path to {@code target/runtime-classpath.txt} (maven-dependency-plugin, build-classpath).
 */
class RuntimeFootprintTest {
    private static final long LIMIT_BYTES = 20L * 1024 * 1024;
    private static final Path CLASSPATH_FILE = Path.of("target/runtime-classpath.txt");

    /** Jars that belong to troupe-retrieval or to the application's choice of database, never to the runtime. */
    private static final List<String> ELSEWHERE = List.of("lucene-", "onnxruntime", "langchain4j-embeddings", "sqlite-jdbc", "postgresql-", "swagger-parser", "troupe-tools");

    @Test
    void theRuntimeDependenciesOfTroupeAgentsFitInTwentyMebibytes() throws IOException {
        List<Path> entries = runtimeClassPath();
        Map<Path, Long> sizes = entries.stream().collect(Collectors.toMap(Function.identity(), RuntimeFootprintTest::size));
        long total = sizes.values().stream().mapToLong(Long::longValue).sum();

        assertThat(total).as("troupe-agents' %d runtime dependencies weigh %.1f MiB, over the %d MiB limit; the largest: %s",
                entries.size(), total / 1048576.0, LIMIT_BYTES / 1048576, largest(sizes)).isLessThanOrEqualTo(LIMIT_BYTES);
    }

    @Test
    void retrievalAndJdbcDriversAreNotInTheRuntime() throws IOException {
        assertThat(runtimeClassPath()).extracting(p -> p.getFileName().toString())
                .as("troupe-agents' runtime jars, none of which may start with %s", ELSEWHERE)
                .noneMatch(jar -> ELSEWHERE.stream().anyMatch(jar::startsWith));
    }

    private static List<Path> runtimeClassPath() throws IOException {
        assertThat(CLASSPATH_FILE).as("written by the build's runtime-classpath execution; run the test with mvn verify -pl agents -am")
                .isRegularFile();
        String classPath = Files.readString(CLASSPATH_FILE).strip();
        List<Path> entries = Arrays.stream(classPath.split(File.pathSeparator)).filter(e -> !e.isBlank()).map(Path::of).toList();
        assertThat(entries).as("the resolved runtime class path").isNotEmpty().allMatch(Files::exists);
        return entries;
    }

    /** A jar's size, or the bytes under a reactor module's classes folder (what its jar would hold, uncompressed). */
    private static long size(Path entry) {
        try {
            if (Files.isRegularFile(entry)) {
                return Files.size(entry);
            }
            try (Stream<Path> files = Files.walk(entry)) {
                return files.filter(Files::isRegularFile).mapToLong(f -> {
                    try {
                        return Files.size(f);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }).sum();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String largest(Map<Path, Long> sizes) {
        return sizes.entrySet().stream().sorted(Map.Entry.<Path, Long>comparingByValue(Comparator.reverseOrder())).limit(8)
                .map(e -> e.getKey().getFileName() + String.format(" %.1f MiB", e.getValue() / 1048576.0))
                .collect(Collectors.joining(", "));
    }
}
