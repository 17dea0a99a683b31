package dev.troupe.cli;

import static dev.troupe.cli.CliRun.troupe;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolsCommandTest {

    /** The tools module's errors are bad input that says what to do, not a stack trace. */
    @Test
    void aFolderThatIsNotACatalogIsBadInputThatSaysWhatToDo(@TempDir Path dir) throws IOException {
        Path notACatalog = Files.createDirectories(dir.resolve("empty"));

        CliRun search = troupe("tools", "search", "weather", "--catalog", notACatalog.toString());

        assertThat(search.exit()).isEqualTo(2);
        assertThat(search.err()).contains("troupe: " + notACatalog + " is not a tool catalog").contains("create one with an import first")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }
}
