package dev.troupe.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchReportTest {

    @Test
    void rewritesOnlyTheTablesBetweenTheMarkers(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("BENCHMARKS.md");
        Files.writeString(file, "# Benchmarks\n\nnotes before\n\n" + BenchReport.BEGIN + "\n\nold tables\n" + BenchReport.END
                + "\n\n## Profile\n\nnotes after\n");

        new BenchReport().append("new tables\n").writeInto(file);

        String text = Files.readString(file);
        assertThat(text).contains("notes before", "new tables", "## Profile\n\nnotes after").doesNotContain("old tables");
    }

    @Test
    void startsAFileThatDoesNotExist(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("BENCHMARKS.md");

        new BenchReport().append("tables\n").writeInto(file);

        assertThat(Files.readString(file)).startsWith("# Benchmarks").contains(BenchReport.BEGIN, "tables", BenchReport.END);
    }
}
