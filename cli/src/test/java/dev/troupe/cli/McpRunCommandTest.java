package dev.troupe.cli;

import static dev.troupe.mcp.McpServersOnDisk.quoted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.troupe.mcp.McpServersOnDisk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code troupe validate} and {@code troupe run} on a team whose role's tools come from an MCP server. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class McpRunCommandTest {
    @TempDir
    Path dir;

    private Path team(String command) throws Exception {
        Files.writeString(dir.resolve("script.yaml"), """
                replies:
                  - action: Answer
                    when: 'Successfully wrote to'
                    reply: The note is written.
                  - action: Answer
                    toolCalls:
                      - name: write_file
                        arguments: {path: %s, content: "from troupe run"}
                """.formatted(quoted(dir.resolve("ws/note.txt"))));
        return Files.writeString(dir.resolve("team.yaml"), """
                name: notes
                idea: Write the note.
                offlineModel: scripted:script.yaml
                roles:
                  - name: Scribe
                    watch: [UserRequirement]
                    tools:
                      mcp:
                        - name: files
                          command: %s
                      names: [write_file]
                    actions:
                      - {name: Answer, instruction: "{{requirement}}"}
                """.formatted(command));
    }

    @Test
    void runStartsTheServerShowsItsLineAndTheRoleWritesThroughIt() throws Exception {
        assumeTrue(CliRun.offline(), "a live model is configured; this test runs the team's offline script");
        Files.createDirectories(dir.resolve("ws"));
        Path file = team("[node, " + quoted(McpServersOnDisk.script("server-filesystem")) + ", " + quoted(dir.resolve("ws")) + "]");

        CliRun run = CliRun.troupe("run", file.toString(), "--workspace", dir.resolve("ws").toString());

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).containsPattern("✓ MCP server 'files': \\d+ tools in");
        assertThat(dir.resolve("ws/note.txt")).content().isEqualTo("from troupe run");
    }

    @Test
    void toolsListPrintsTheRolesMcpToolsWithTheirServer() throws Exception {
        Path file = team("[node, " + quoted(McpServersOnDisk.script("server-filesystem")) + ", " + quoted(dir) + "]");

        CliRun list = CliRun.troupe("tools", "list", "--team", file.toString());

        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).contains("Scribe: 1 MCP tool(s)").containsPattern("write_file\\s+mcp files\\s+Create a new file");
    }

    @Test
    void validateStartsNothingAndRunReportsAServerThatDoesNotStartByName() throws Exception {
        assumeTrue(CliRun.offline(), "a live model is configured; this test runs the team's offline script");
        Path file = team("[no-such-mcp-server-program, --stdio]");

        assertThat(CliRun.troupe("validate", file.toString()).exit()).isZero();

        CliRun run = CliRun.troupe("run", file.toString(), "--workspace", dir.resolve("ws").toString());
        assertThat(run.exit()).isEqualTo(TroupeCli.BAD_INPUT);
        assertThat(run.err()).contains("MCP server 'files' (").contains("team.yaml:").contains("did not start")
                .contains("no-such-mcp-server-program --stdio").doesNotContain("\tat ");
    }
}
