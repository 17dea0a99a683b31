package dev.troupe.cli;

import static dev.troupe.cli.CliRun.troupe;
import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.tools.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCommandTest {
    @Test
    void evalRetrievalScoresTheFilesAndTheMultiToolSetMadeFromThemEachWithAnAverageLine(@TempDir Path dir) {
        Path g1 = SharedData.file("G1_instruction.json");
        CliRun run = troupe("eval", "retrieval", g1.toString(), "--mode", "bm25", "--dev-set", "multi-tool", "--dev-set-dir", dir.toString());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("| G1_instruction.json | bm25 | 77.3 | 74.6 | 79.2 |")
                .contains("| multi_G1_instruction.json | bm25 | 81.0 | 75.2 | 68.1 |")
                .contains("| average of 1 | bm25 | 77.3 | 74.6 | 79.2 |");
        assertThat(Files.isRegularFile(dir.resolve("multi_G1_instruction.json"))).isTrue();
    }

    @Test
    void anUnknownDevelopmentSetSaysWhichOneThereIs() {
        CliRun run = troupe("eval", "retrieval", SharedData.file("G1_instruction.json").toString(), "--dev-set", "several");

        assertThat(run.exit()).isNotZero();
        assertThat(run.err()).contains("Unknown development set 'several'").contains("--dev-set multi-tool");
    }
}
