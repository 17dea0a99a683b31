package dev.troupe.mcp;

import static dev.troupe.mcp.McpServersOnDisk.quoted;
import static dev.troupe.mcp.McpServersOnDisk.script;
import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.agents.event.RunEvent;
import dev.troupe.agents.event.RunListener;
import dev.troupe.agents.model.ModelBackend;
import dev.troupe.agents.model.ModelResolver;
import dev.troupe.agents.team.RunResult;
import dev.troupe.agents.team.RunStatus;
import dev.troupe.roles.TeamDefinition;
import dev.troupe.roles.TeamLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Teams whose role's tools come from the real filesystem MCP server, run offline on a scripted model. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class McpTeamTest {
    private static final ModelResolver NO_ENV = ModelResolver.withEnv(Map.of());

    @TempDir
    Path dir;

    private final List<RunEvent> events = new CopyOnWriteArrayList<>();

    private RunResult run(String planner, String names, String script) throws Exception {
        Path workspace = Files.createDirectories(dir.resolve("workspace"));
        Files.writeString(dir.resolve("script.yaml"), script.replace("$WS", workspace.toString()));
        Files.writeString(dir.resolve("team.yaml"), """
                name: librarian
                idea: Keep a note in notes.txt and check that it is there.
                offlineModel: scripted:script.yaml
                roles:
                  - name: Librarian
                    profile: Librarian
                    goal: Keep the notes in the workspace
                    watch: [UserRequirement]
                    tools:
                      mcp:
                        - name: files
                          command: [node, %s, %s]
                          env: {LOG_LEVEL: warn}
                      names: %s
                    planner: %s
                    actions:
                      - name: Answer
                        instruction: "{{requirement}}"
                """.formatted(quoted(script("server-filesystem")), quoted(workspace), names, planner));
        TeamDefinition def = TeamLoader.load(dir.resolve("team.yaml"));
        ModelBackend offline = def.resolve(def.offlineModel().orElseThrow(), NO_ENV);
        RunResult result = def.toBuilder(offline, NO_ENV).workspace(workspace).listener(new RunListener() {
            @Override
            public void on(RunEvent e) {
                events.add(e);
            }
        }).build().run(def.idea().orElseThrow());
        assertThat(result.status()).as("run error: %s", result.error()).isEqualTo(RunStatus.SUCCEEDED);
        return result;
    }

    private List<RunEvent.ToolCall> toolCalls() {
        return events.stream().filter(RunEvent.ToolCall.class::isInstance).map(RunEvent.ToolCall.class::cast).toList();
    }

    @Test
    void aReactRoleWritesAFileAndListsTheWorkspaceThroughTheFilesystemServer() throws Exception {
        RunResult result = run("react", "[write_file, list_directory]", """
                replies:
                  - action: Answer
                    when: '\\[FILE\\] notes\\.txt'
                    reply: notes.txt is in the workspace and holds the note.
                  - action: Answer
                    when: 'Successfully wrote to'
                    toolCalls:
                      - name: list_directory
                        arguments: {path: "$WS"}
                  - action: Answer
                    times: 1
                    toolCalls:
                      - name: write_file
                        arguments: {path: "$WS/notes.txt", content: "note 4711"}
                """);

        assertThat(dir.resolve("workspace/notes.txt")).content().isEqualTo("note 4711");
        assertThat(result.documents().get("Answer")).singleElement()
                .satisfies(m -> assertThat(m.content()).contains("notes.txt is in the workspace"));
        assertThat(toolCalls()).extracting(RunEvent.ToolCall::tool).containsExactly("write_file", "list_directory");
    }

    @Test
    void dfsdtBacktracksFromAFailingMcpToolToAnotherBranchThatSucceeds() throws Exception {
        Files.createDirectories(dir.resolve("workspace"));
        Files.writeString(dir.resolve("workspace/notes.txt"), "an older note");
        RunResult result = run("dfsdt", "[read_text_file, list_directory]", """
                replies:
                  - action: Answer
                    when: '\\[FILE\\] notes\\.txt'
                    toolCalls:
                      - name: Finish
                        arguments: {return_type: give_answer, final_answer: "notes.txt is there."}
                  - action: Answer
                    when: 'Your earlier actions at this point were:\\n- Finish\\('
                    toolCalls:
                      - name: list_directory
                        arguments: {path: "$WS"}
                  - action: Answer
                    when: 'Error \\(tool_exception\\)'
                    toolCalls:
                      - name: Finish
                        arguments: {return_type: give_up_and_restart, final_answer: "that file does not exist; look around first"}
                  - action: Answer
                    toolCalls:
                      - name: read_text_file
                        arguments: {path: "$WS/missing.txt"}
                """);

        assertThat(result.documents().get("Answer")).singleElement().satisfies(m -> assertThat(m.content()).contains("notes.txt is there."));
        assertThat(toolCalls()).extracting(RunEvent.ToolCall::tool).containsSubsequence("read_text_file", "list_directory");
        assertThat(events).filteredOn(RunEvent.SearchNode.class::isInstance).map(e -> ((RunEvent.SearchNode) e).kind()).contains("backtrack");
    }
}
