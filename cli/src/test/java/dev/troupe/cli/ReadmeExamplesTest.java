package dev.troupe.cli;

import static dev.troupe.cli.CliRun.troupe;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's team YAML runs as the README says: saved as {@code my-team.yaml}, it validates and runs. */
class ReadmeExamplesTest {
    private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);

    private static List<String> teamsInReadme() throws IOException {
        Path readme = Path.of("..", "README.md");
        Matcher m = YAML_BLOCK.matcher(Files.readString(readme));
        List<String> teams = new ArrayList<>();
        while (m.find()) {
            if (m.group(1).startsWith("name:") && m.group(1).contains("\nroles:")) {
                teams.add(m.group(1));
            }
        }
        return teams;
    }

    @Test
    void everyTeamInTheReadmeValidatesAndRunsWithTheReadmesCommands(@TempDir Path dir) throws IOException {
        List<String> teams = teamsInReadme();
        assertThat(teams).as("the README shows a whole team in YAML").isNotEmpty();
        for (String yaml : teams) {
            Path file = dir.resolve("my-team.yaml");
            Files.writeString(file, yaml);

            CliRun mermaid = troupe("validate", file.toString());
            assertThat(mermaid.exit()).as(yaml + mermaid.out() + mermaid.err()).isZero();
            assertThat(mermaid.out()).contains("flowchart");
            CliRun text = troupe("validate", file.toString(), "--format", "text");
            assertThat(text.exit()).as(text.err()).isZero();
            CliRun run = troupe("run", file.toString(), "--idea", "A todo app", "--model", "dry-run", "-q",
                    "--workspace", dir.resolve("ws").toString());
            assertThat(run.exit()).as(run.out() + run.err()).isZero();
            assertThat(run.out()).contains("SUCCEEDED");
        }
    }
}
