package dev.troupe.agents.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleRendererTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final ConsoleRenderer renderer = new ConsoleRenderer(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private void node(int id, int parent, int depth, String kind, String detail) {
        renderer.on(new RunEvent.SearchNode("run-1", Instant.now(), "Agent", "Trip", id, parent, depth, kind, detail));
    }

    @Test
    void drawsTheWholeSearchTreeWithGiveUpBacktrackAndAnswerWhenTheActionFails() {
        node(0, -1, 0, "root", "");
        node(1, 0, 1, "tool_call", "search_flights({\"from\":\"Paris\"})");
        node(2, 1, 2, "give_up", "no flights that day");
        node(1, 0, 1, "backtrack", "expanded again, asked for an action other than: Finish({...})");
        node(3, 1, 2, "tool_call", "search_trains({})");
        node(3, 1, 2, "dead_end", "depth limit 2 reached");
        node(4, 0, 1, "answer", "Take the train.");
        renderer.on(new RunEvent.ActionFailed("run-1", Instant.now(), "Agent", "Trip", 1, "boom"));

        List<String> lines = printed().lines().toList();
        int header = lines.indexOf(lines.stream().filter(l -> l.contains("search tree of Agent/Trip")).findFirst().orElseThrow());
        assertThat(lines.get(header)).contains("5 nodes, 1 give-up(s), 1 backtrack(s), answer at #4");
        assertThat(lines.subList(header + 1, header + 6)).containsExactly(
                "    #0 task",
                "    ├─ #1 search_flights({\"from\":\"Paris\"})",
                "    │  ├─ #2 ↶ give_up_and_restart: no flights that day",
                "    │  └─ #3 search_trains({})   ↺ tried after a backtrack   ✗ dead end: depth limit 2 reached",
                "    └─ #4 ✓ give_answer: Take the train.");
        assertThat(printed()).contains("↺ backtrack to #1: expanded again, asked for an action other than: Finish({...})");
    }

    @Test
    void showsTheChosenToolsWithHowAndScores() {
        renderer.on(new RunEvent.ToolsChosen("run-1", Instant.now(), "Agent", "Trip", "bm25 retrieval, top 2 of 810 functions",
                List.of("stations_for_flixbus", "cities_for_flixbus"), List.of(12.5, 9.25)));
        renderer.on(new RunEvent.ActionFinished("run-1", Instant.now(), "Agent", "Trip", 1,
                dev.troupe.agents.message.Message.builder().runId("run-1").sender("Agent").causeBy("Trip").content("ok").build(),
                Duration.ofMillis(5)));

        assertThat(printed()).contains("⌕ bm25 retrieval, top 2 of 810 functions: stations_for_flixbus (12.500), cities_for_flixbus (9.250)")
                .doesNotContain("search tree");
    }
}
