package dev.troupe.retrieval.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ImportStatusTest {

    @Test
    void theLineShowsTheShareDoneByBytesAndEstimatesTheRestFromTheRateSoFar() {
        ImportStatus half = new ImportStatus(10, 40, 50_000_000, 100_000_000, 1_200, 300, 2, Duration.ofSeconds(60));

        assertThat(half.fraction()).isEqualTo(0.5);
        assertThat(half.line()).contains("[############            ]", " 50%", "10/40 files", "50/100 MB", "1,200 functions indexed (20/s)",
                "300 reused", "2 skipped", "1m00s", "about 1m00s left");
    }

    @Test
    void aFinishedOrAllReusedImportShowsNoEstimate() {
        ImportStatus reused = new ImportStatus(3, 3, 0, 0, 0, 9, 0, Duration.ofSeconds(2));

        assertThat(reused.fraction()).isEqualTo(1.0);
        assertThat(reused.line()).contains("100%", "3/3 files", "9 reused").doesNotContain("left");
    }
}
