package dev.troupe.agents.model.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.troupe.agents.action.Action;
import dev.troupe.agents.error.ConfigurationException;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.model.ModelResolver;
import dev.troupe.agents.model.ModelRequest;
import dev.troupe.agents.role.Role;
import dev.troupe.agents.team.RunResult;
import dev.troupe.agents.team.RunStatus;
import dev.troupe.agents.team.Team;
import dev.troupe.agents.testing.Fakes;
import dev.troupe.agents.testing.RecordingBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScriptedModelTest {

    private static String text(ScriptedModel m, ModelRequest r) {
        return m.chat(r).aiMessage().text();
    }

    @Test
    void firstMatchingEntryWinsInFileOrder() {
        ScriptedModel m = Fakes.script("""
                replies:
                  - {reply: generic}
                  - {role: Alice, action: Write, reply: specific}
                """);

        assertThat(text(m, Fakes.request("Alice", "Write", "p"))).isEqualTo("generic");
    }

    @Test
    void roleAndActionRestrictWhichCallsAnEntryMatches() {
        ScriptedModel m = Fakes.script("""
                replies:
                  - {role: Alice, action: Write, reply: alice-write}
                  - {role: Bob, reply: bob-any}
                  - {action: Write, reply: anyone-write}
                  - {reply: fallback}
                """);

        assertThat(text(m, Fakes.request("Alice", "Write", "p"))).isEqualTo("alice-write");
        assertThat(text(m, Fakes.request("Alice", "Review", "p"))).isEqualTo("fallback");
        assertThat(text(m, Fakes.request("Bob", "Write", "p"))).isEqualTo("bob-any");
        assertThat(text(m, Fakes.request("Carol", "Write", "p"))).isEqualTo("anyone-write");
    }

    @Test
    void whenRegexIsFoundAnywhereInThePrompt() {
        ScriptedModel m = Fakes.script("""
                replies:
                  - {when: "(?i)calculator", reply: calc}
                  - {when: "^exact$", reply: anchored}
                  - {reply: other}
                """);

        assertThat(text(m, Fakes.request("A", "X", "Build a CALCULATOR app please"))).isEqualTo("calc");
        assertThat(text(m, Fakes.request("A", "X", "exact"))).isEqualTo("anchored");
        assertThat(text(m, Fakes.request("A", "X", "not exact"))).isEqualTo("other");
    }

    @Test
    void timesLimitsHowOftenAnEntryAnswersThenLaterEntriesTakeOver() {
        ScriptedModel m = Fakes.script("""
                replies:
                  - {action: Write, times: 2, reply: first}
                  - {action: Write, times: 1, reply: second}
                  - {action: Write, reply: rest}
                """);

        assertThat(text(m, Fakes.request("A", "Write", "p"))).isEqualTo("first");
        assertThat(text(m, Fakes.request("A", "Write", "p"))).isEqualTo("first");
        assertThat(text(m, Fakes.request("A", "Write", "p"))).isEqualTo("second");
        assertThat(text(m, Fakes.request("A", "Write", "p"))).isEqualTo("rest");
        assertThat(text(m, Fakes.request("A", "Write", "p"))).isEqualTo("rest");
    }

    @Test
    void structuredReplyIsSentAsJson() {
        ScriptedModel m = Fakes.script("""
                replies:
                  - reply: {title: Todo, items: [a, b], done: false}
                """);

        assertThat(Fakes.json(text(m, Fakes.request("A", "X", "p"))))
                .isEqualTo(Fakes.json("{\"title\": \"Todo\", \"items\": [\"a\", \"b\"], \"done\": false}"));
    }

    @Test
    void toolCallsEntryProducesToolExecutionRequests() {
        ScriptedModel m = Fakes.script("""
                replies:
                  - action: Research
                    toolCalls:
                      - {name: search, arguments: {query: monads, limit: 3}}
                      - {name: fetch, id: my-id}
                """);

        AiMessage ai = m.chat(Fakes.request("A", "Research", "p")).aiMessage();

        assertThat(ai.hasToolExecutionRequests()).isTrue();
        assertThat(ai.toolExecutionRequests()).extracting(ToolExecutionRequest::name).containsExactly("search", "fetch");
        ToolExecutionRequest search = ai.toolExecutionRequests().get(0);
        assertThat(Fakes.json(search.arguments())).isEqualTo(Fakes.json("{\"query\": \"monads\", \"limit\": 3}"));
        assertThat(search.id()).isEqualTo("call_Research_0_1");
        assertThat(ai.toolExecutionRequests().get(1).id()).isEqualTo("my-id");
        assertThat(ai.toolExecutionRequests().get(1).arguments()).isEqualTo("{}");
    }

    @Test
    void fallbackDryRunAnswersUnmatchedCalls() {
        ScriptedModel m = Fakes.script("""
                fallback: dry-run
                replies:
                  - {action: Write, reply: scripted}
                """);

        assertThat(text(m, Fakes.request("A", "Write", "p"))).isEqualTo("scripted");
        assertThat(text(m, Fakes.request("Bob", "Review", "p"))).startsWith("[dry-run]").contains("Bob").contains("Review");
        String structured = text(m, Fakes.request("Bob", "Plan", "p", Fakes.json(
                "{\"type\": \"object\", \"required\": [\"n\"], \"properties\": {\"n\": {\"type\": \"integer\"}}}")));
        assertThat(Fakes.json(structured).get("n").isInt()).isTrue();
    }

    @Test
    void unmatchedCallWithDefaultFallbackFailsNamingRoleAndAction() {
        ScriptedModel m = Fakes.script("""
                replies:
                  - {role: Alice, reply: hi}
                """);

        assertThatThrownBy(() -> m.chat(Fakes.request("Bob", "Review", "Please review the code")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("test.yaml has no reply for role 'Bob', action 'Review'")
                .hasMessageContaining("Add an entry with role: Bob and action: Review")
                .hasMessageContaining("Prompt starts: Please review the code");
    }

    @Test
    void unmatchedCallFailsTheRunAfterOneAttemptNamingRoleAndAction() {
        RecordingBackend model = new RecordingBackend(Fakes.script("""
                replies:
                  - {action: Write, reply: written}
                """));
        Team team = Team.builder("t")
                .role(Role.builder("Alice").watch(Message.USER_REQUIREMENT).actions(Action.text("Write", "Write {{requirement}}")).build())
                .role(Role.builder("Bob").watch("Write").actions(Action.text("Review", "Review {{Write}}")).build())
                .model(model)
                .build();

        RunResult result = team.run("x");

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error()).get().asString().contains("no reply for role 'Bob', action 'Review'");
        assertThat(model.requests("Review")).hasSize(1);
    }

    @Test
    void scriptIsSyntheticAndNamedBySpec() {
        ScriptedModel m = Fakes.script("replies: [{reply: x}]");

        assertThat(m.synthetic()).isTrue();
        assertThat(m.spec()).isEqualTo("scripted:test.yaml");
        assertThat(m.chat(Fakes.request("A", "X", "p")).modelName()).isEqualTo("scripted:test.yaml");
    }

    @Test
    void resolverLoadsScriptedSpecRelativeToItsBaseDirectory(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("demo.yaml"), "replies:\n  - reply: from file\n");

        var backend = ModelResolver.withEnv(Map.of()).relativeTo(dir).resolve("scripted:demo.yaml");

        assertThat(backend.spec()).isEqualTo("scripted:demo.yaml");
        assertThat(backend.chat(Fakes.request("A", "X", "p")).aiMessage().text()).isEqualTo("from file");
        assertThatThrownBy(() -> ModelResolver.withEnv(Map.of()).relativeTo(dir).resolve("scripted:missing.yaml"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("Scripted model file not found");
    }
}
