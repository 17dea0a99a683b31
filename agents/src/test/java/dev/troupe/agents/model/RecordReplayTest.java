package dev.troupe.agents.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.troupe.agents.action.Action;
import dev.troupe.agents.error.ConfigurationException;
import dev.troupe.agents.json.internal.Json;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.role.Role;
import dev.troupe.agents.team.RunResult;
import dev.troupe.agents.team.RunStatus;
import dev.troupe.agents.team.Team;
import dev.troupe.agents.testing.Fakes;
import dev.troupe.agents.testing.RecordingBackend;
import dev.troupe.agents.tool.ActionTool;
import dev.troupe.agents.tool.ToolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordReplayTest {
    @TempDir
    Path dir;

    private final AtomicInteger toolRuns = new AtomicInteger();

    private final ActionTool lookup = new ActionTool() {
        @Override
        public ToolSpecification specification() {
            return ToolSpecification.builder().name("lookup").description("Looks a term up").build();
        }

        @Override
        public ToolResult execute(String argumentsJson) {
            toolRuns.incrementAndGet();
            return ToolResult.ok("definition of " + argumentsJson);
        }
    };

    private Team.Builder team() {
        return Team.builder("recorded")
                .role(Role.builder("Researcher").watch(Message.USER_REQUIREMENT)
                        .actions(Action.builder("Research").instruction("Research {{requirement}}").tools(List.of(lookup)).build())
                        .build())
                .role(Role.builder("Writer").watch("Research")
                        .actions(Action.structured("Outline", "Outline {{Research}}", Fakes.json("""
                                {"type": "object", "required": ["sections"],
                                 "properties": {"sections": {"type": "array", "items": {"type": "string"}}}}
                                """)))
                        .build())
                .role(Role.builder("Editor").watch("Research")
                        .actions(Action.text("Critique", "Critique {{Research}}"))
                        .build())
                .retryPolicy(RetryPolicy.none());
    }

    private static RecordingBackend original() {
        return new RecordingBackend(Fakes.script("""
                replies:
                  - {action: Research, when: "definition of", reply: "monads are burritos"}
                  - {action: Research, toolCalls: [{name: lookup, arguments: {term: monad}}]}
                  - {action: Outline, times: 1, reply: "no json, sorry"}
                  - {action: Outline, reply: {sections: [intro, burritos]}}
                  - {action: Critique, reply: "too many burritos"}
                """));
    }

    private static Map<String, List<String>> contents(RunResult r) {
        return r.documents().asMap().entrySet().stream().collect(java.util.stream.Collectors.toMap(
                Map.Entry::getKey, e -> e.getValue().stream().map(Message::content).toList()));
    }

    @Test
    void replayOfARecordedRunProducesIdenticalDocumentsWithoutCallingTheOriginalModel() throws Exception {
        Path cassette = dir.resolve("run.jsonl");
        RecordingBackend original = original();

        RunResult recorded = team().model(original).recordTo(cassette).build().run("explain monads");
        int originalCalls = original.calls();

        assertThat(recorded.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(originalCalls).isEqualTo(5);
        assertThat(Files.readAllLines(cassette)).hasSize(originalCalls);

        RunResult replayed = team()
                .resolver(ModelResolver.withEnv(Map.of()))
                .model("replay:" + cassette)
                .build()
                .run("explain monads");

        assertThat(replayed.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(original.calls()).isEqualTo(originalCalls);
        assertThat(contents(replayed)).isEqualTo(contents(recorded));
        assertThat(replayed.payload("Outline")).isEqualTo(recorded.payload("Outline"));
        assertThat(replayed.document("Critique").orElseThrow().model()).contains("replay:" + cassette);
        assertThat(toolRuns).hasValue(2);
        assertThat(replayed.totalUsage().calls()).isEqualTo(originalCalls);
        assertThat(replayed.totalUsage().costUsd()).isZero();
    }

    @Test
    void cassetteKeepsPromptHashesNotPromptText() throws Exception {
        Path cassette = dir.resolve("run.jsonl");

        team().model(original()).recordTo(cassette).build().run("a secret requirement");

        String text = Files.readString(cassette);
        assertThat(text).doesNotContain("a secret requirement");
        JsonNode first = Json.MAPPER.readTree(Files.readAllLines(cassette).getFirst());
        assertThat(first.get("promptSha256").asText()).hasSize(64);
        assertThat(text).contains("\"name\":\"lookup\"");
    }

    @Test
    void replayWithMoreCallsThanRecordedFailsTheRunNamingTheCall() throws Exception {
        Path cassette = dir.resolve("short.jsonl");
        Files.writeString(cassette, """
                {"role":"Researcher","action":"Research","step":0,"model":"x","promptSha256":"0","text":"facts","inputTokens":1,"outputTokens":1}
                """);

        RunResult result = team()
                .resolver(ModelResolver.withEnv(Map.of()))
                .model("replay:" + cassette)
                .build()
                .run("explain monads");

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error()).get().asString().contains("has no more recorded answers for role '");
    }

    @Test
    void missingCassetteIsAConfigurationError() {
        assertThatThrownBy(() -> ModelResolver.withEnv(Map.of()).resolve("replay:" + dir.resolve("nope.jsonl")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("Cassette not found");
    }
}
