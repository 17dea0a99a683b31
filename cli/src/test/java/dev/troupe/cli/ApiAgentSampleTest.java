package dev.troupe.cli;

import static dev.troupe.cli.CliRun.offline;
import static dev.troupe.cli.CliRun.troupe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code troupe run api-agent}: retrieval over the bundled StableToolBench G1 catalog, then DFSDT on the
 * virtual API server, on its scripted model — one give-up, a backtrack, and an answer made of the
 * server's data — with the tree on the console and in the trace; the index is reused by the next run.
 */
class ApiAgentSampleTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<JsonNode> events(Path trace, String type) throws IOException {
        return Files.readAllLines(trace).stream().map(ApiAgentSampleTest::parse).filter(e -> e.path("type").asText().equals(type)).toList();
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("not a JSON trace line: " + line, e);
        }
    }

    @Test
    void retrievesFlixbusApisGivesUpOnceBacktracksAndAnswersFromTheVirtualServerThenReusesTheIndex(@TempDir Path dir) throws IOException {
        assumeTrue(offline(), "a live model is configured in this environment");
        Path ws = dir.resolve("ws");
        Path trace = dir.resolve("run.trace.jsonl");

        Path report = dir.resolve("report.html");
        CliRun run = troupe("run", "api-agent", "--workspace", ws.toString(), "--trace", trace.toString(), "--report", report.toString());

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.err()).contains("offline model scripted:script.yaml").contains("scripted, not generated");
        assertThat(run.out()).contains("building the retrieval index of stabletoolbench-g1-instruction-apis.json.gz")
                .contains("indexed 810 functions").contains("✓ retrieval index built in")
                .contains("⌕ hybrid retrieval, top 5 of 810 functions: search_trips_for_flixbus")
                .contains("search tree of Agent/Answer: 6 nodes, 1 give-up(s), 1 backtrack(s), answer at #5")
                .contains("├─ #2 ↶ give_up_and_restart: search-trips takes numeric Flixbus ids")
                .contains("└─ #3 stations_for_flixbus({})   ↺ tried after a backtrack")
                .contains("[scripted model output]").contains("SUCCEEDED");

        // Retrieval: the request's two APIs are among the five tools the role got.
        JsonNode chosen = events(trace, "ToolsChosen").getFirst();
        assertThat(chosen.path("how").asText()).isEqualTo("hybrid retrieval, top 5 of 810 functions");
        assertThat(chosen.path("tools")).hasSize(5);
        assertThat(chosen.path("tools").toString()).contains("\"search_trips_for_flixbus\"").contains("\"stations_for_flixbus\"");

        // The tree: root, a failed call, one give-up under it, a backtrack to that node, the second branch, the answer.
        List<JsonNode> nodes = events(trace, "SearchNode");
        assertThat(nodes).extracting(n -> n.path("kind").asText())
                .containsExactly("root", "tool_call", "give_up", "backtrack", "tool_call", "tool_call", "answer");
        assertThat(nodes).extracting(n -> n.path("node").asInt()).containsExactly(0, 1, 2, 1, 3, 4, 5);
        assertThat(nodes).extracting(n -> n.path("parent").asInt()).containsExactly(-1, 0, 1, 0, 1, 3, 4);
        assertThat(nodes).extracting(n -> n.path("depth").asInt()).containsExactly(0, 1, 2, 1, 2, 3, 4);
        assertThat(nodes.get(3).path("detail").asText()).startsWith("expanded again, asked for an action other than: Finish(")
                .contains("give_up_and_restart");
        assertThat(nodes.get(4).path("detail").asText()).isEqualTo("stations_for_flixbus({})");

        // The calls reached the virtual API server; the answer is made of what it returned.
        List<JsonNode> calls = events(trace, "ToolCall");
        assertThat(calls).extracting(c -> c.path("tool").asText())
                .containsExactly("search_trips_for_flixbus", "stations_for_flixbus", "search_trips_for_flixbus");
        assertThat(calls.get(0).path("result").asText()).startsWith("Error (bad_arguments)");
        String trips = calls.get(2).path("result").asText();
        assertThat(trips).contains("direct:2022-04-30:3478:2744:0745").contains("119.94").contains("Venezia Tronchetto");
        String answer = events(trace, "ActionFinished").getFirst().path("output").path("content").asText();
        assertThat(nodes.get(6).path("detail").asText()).isEqualTo(answer);
        assertThat(answer).contains("119.94 EUR").contains("Venezia Tronchetto").contains("Roma Anagnina").contains("Bologna");

        // The workspace's docs and the report hold the answer and the search tree.
        WorkspaceDocumentsTest.assertEveryDocumentIsInDocs(ws);
        assertThat(Files.readString(report)).contains("<h2>Search trees</h2>").contains("<h3>Agent / Answer <small>6 nodes</small></h3>")
                .contains("<li>#2 <b>give up</b> search-trips takes numeric Flixbus ids")
                .contains("<li>#1 <b>tool call</b> ").contains("↺ backtracked here").contains("<li>#5 <b>answer</b> ");

        // Another idea in the same workspace: the index is reused, retrieval is shown, and the script is not passed off as an answer.
        CliRun other = troupe("run", "api-agent", "--workspace", ws.toString(), "--idea", "Find Italian recipes with tomatoes");
        assertThat(other.exit()).isEqualTo(2);
        assertThat(other.out()).contains("✓ retrieval index reused from").doesNotContain("building the retrieval index")
                .contains("⌕ for your idea, hybrid retrieval, top 5 of 810 functions:").contains("    1. ")
                .doesNotContain("SUCCEEDED");
        assertThat(other.err()).contains("only answers its sample idea");
    }
}
