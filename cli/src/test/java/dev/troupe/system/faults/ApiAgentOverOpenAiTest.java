package dev.troupe.system.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.agents.event.RunEvent;
import dev.troupe.agents.event.RunListener;
import dev.troupe.agents.team.RunStatus;
import dev.troupe.retrieval.catalog.ImportProgress;
import dev.troupe.roles.TeamDefinition;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The api-agent team on an {@code openai:} model, over OpenAI's wire format with faults injected: the
 * retrieved functions go out as OpenAI tools, the model's tool calls come back through the provider,
 * and the same DFSDT search runs — nothing in the team depends on the scripted model.
 */
class ApiAgentOverOpenAiTest {

    @Test
    void runsTheSameRetrievalAndDfsdtOnAnOpenAiModelThroughFaults(@TempDir Path dir) throws IOException {
        TeamDefinition def = TeamRuns.team("api-agent");
        def.tools().getFirst().prepareCatalog(dir.resolve("catalogs"), ImportProgress.none());
        List<RunEvent> events = new CopyOnWriteArrayList<>();
        RunListener recorder = new RunListener() {
            @Override
            public void on(RunEvent e) {
                events.add(e);
            }
        };

        TeamRuns.Outcome o;
        FaultyOpenAiServer server;
        try (FaultyOpenAiServer s = FaultyOpenAiServer.builder(def).faultRate(0.3).seed(5)
                .maxFaultsPerCall(TeamRuns.RETRIES.maxAttempts() - 1).start()) {
            server = s;
            o = TeamRuns.run(def, s, TeamRuns.MODEL, TeamRuns.KEY, Optional.empty(), dir.resolve("ws"), recorder);
        }

        assertThat(server.problems()).as("requests the server could not map onto the team").isEmpty();
        assertThat(o.result().status()).as("error: %s", o.result().error().orElse("")).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(server.faults()).as("faults injected: %s", server.summary()).isPositive();
        RunEvent.ToolsChosen chosen = events.stream().filter(RunEvent.ToolsChosen.class::isInstance)
                .map(RunEvent.ToolsChosen.class::cast).findFirst().orElseThrow();
        assertThat(server.toolsOffered()).containsExactlyInAnyOrderElementsOf(
                java.util.stream.Stream.concat(chosen.tools().stream(), java.util.stream.Stream.of("Finish")).toList());
        assertThat(events.stream().filter(RunEvent.SearchNode.class::isInstance).map(e -> ((RunEvent.SearchNode) e).kind()))
                .containsExactly("root", "tool_call", "give_up", "backtrack", "tool_call", "tool_call", "answer");
        assertThat(events.stream().filter(RunEvent.ToolCall.class::isInstance).map(e -> ((RunEvent.ToolCall) e).tool()))
                .containsExactly("search_trips_for_flixbus", "stations_for_flixbus", "search_trips_for_flixbus");
        assertThat(o.result().document("Answer").orElseThrow().content()).contains("119.94 EUR").contains("Venezia Tronchetto");
        assertThat(o.result().document("Answer").orElseThrow().model()).contains("openai:" + TeamRuns.MODEL);
    }
}
