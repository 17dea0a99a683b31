package dev.troupe.retrieval.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.troupe.retrieval.SearchMode;
import dev.troupe.retrieval.catalog.ImportProgress;
import dev.troupe.retrieval.catalog.ToolCatalog;
import dev.troupe.tools.SharedData;
import dev.troupe.tools.error.SpecException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LatencyEvalTest {

    @Test
    void timesEveryQueryOfTheFilesInEachModeOnAnOpenedCatalog(@TempDir Path dir) {
        Path g1 = SharedData.file("G1_tool.json");
        ToolCatalog.importSpecs(List.of(g1), dir, Optional.empty(), ImportProgress.none());

        List<String> queries = LatencyEval.queries(List.of(g1));
        LatencyEval.Report report = LatencyEval.run(dir, queries, List.of(SearchMode.BM25), 5);

        assertThat(queries).hasSize(158);
        assertThat(report.functions()).isEqualTo(499);
        assertThat(report.indexBytes()).isPositive();
        assertThat(report.modes()).singleElement().satisfies(m -> {
            assertThat(m.mode()).isEqualTo(SearchMode.BM25);
            assertThat(m.queries()).isEqualTo(158);
            assertThat(m.p50()).isLessThanOrEqualTo(m.p90());
            assertThat(m.p90()).isLessThanOrEqualTo(m.p99());
            assertThat(m.p99()).isLessThanOrEqualTo(m.max());
        });
    }

    @Test
    void percentilesAreNearestRank() {
        double[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertThat(LatencyEval.percentile(sorted, 50)).isEqualTo(5);
        assertThat(LatencyEval.percentile(sorted, 90)).isEqualTo(9);
        assertThat(LatencyEval.percentile(sorted, 99)).isEqualTo(10);
        assertThat(LatencyEval.percentile(new double[] {7}, 50)).isEqualTo(7);
    }

    @Test
    void aFileWithoutQueriesSaysWhatToPass(@TempDir Path dir) throws Exception {
        Path empty = Files.writeString(dir.resolve("q.json"), "[{\"no\": 1}]");
        assertThatThrownBy(() -> LatencyEval.queries(List.of(empty))).isInstanceOf(SpecException.class)
                .hasMessageContaining("'query'").hasMessageContaining("G1_instruction.json");
    }
}
