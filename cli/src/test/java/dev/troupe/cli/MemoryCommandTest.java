package dev.troupe.cli;

import static dev.troupe.cli.CliRun.offline;
import static dev.troupe.cli.CliRun.troupe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code troupe memory list/show} print what a reader needs in words and JSON, not Java's {@code toString} of records. */
class MemoryCommandTest {
    private static final String JAVA_TO_STRING = "\\b[A-Z]\\w*\\[(\\w+=|\\])";   // a record's toString: Failure[reason=…], Success[]

    @Test
    void listAndShowPrintOutcomesCallsAndTimesReadably(@TempDir Path dir) {
        assumeTrue(offline(), "a live model is configured in this environment");
        String memory = "jdbc:sqlite:" + dir.resolve("memory.db");
        CliRun run = troupe("run", "reflection-demo", "-q", "--memory", memory, "--workspace", dir.resolve("ws").toString());
        assertThat(run.exit()).as(run.out() + run.err()).isZero();

        CliRun list = troupe("memory", "list", "--memory", memory);
        assertThat(list.exit()).isZero();
        assertThat(list.out()).contains("reflection-demo/weather-paris").contains("trials   2").contains("lessons  1")
                .contains("last passed").containsPattern("updated \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC")
                .doesNotContainPattern(JAVA_TO_STRING);

        CliRun show = troupe("memory", "show", "reflection-demo/weather-paris", "--memory", memory);
        assertThat(show.exit()).isZero();
        assertThat(show.out()).contains("→ getweather_for_city_weather {\"city_id\":\"FR-75\"} (forced), from trial 1")
                .contains("; disabled there: getweather_for_city_weather {")
                .contains("Trial 1 (run ").contains("failed, ").contains("Trial 2 (run ").contains("passed")
                .doesNotContain("[getweather").doesNotContainPattern(JAVA_TO_STRING);
    }

    @Test
    void anUnknownKeyIsBadInputThatSaysWhereTheKeysAre(@TempDir Path dir) {
        CliRun show = troupe("memory", "show", "no/such/task", "--memory", "jdbc:sqlite:" + dir.resolve("memory.db"));

        assertThat(show.exit()).isEqualTo(TroupeCli.BAD_INPUT);
        assertThat(show.err()).contains("No stored task 'no/such/task'; 'troupe memory list' shows the keys.");
    }
}
