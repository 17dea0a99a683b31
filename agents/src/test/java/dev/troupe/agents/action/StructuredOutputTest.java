package dev.troupe.agents.action;

import dev.troupe.agents.action.internal.ActionContext;
import dev.troupe.agents.action.internal.ActionExecutor;
import dev.troupe.agents.action.internal.ActionOutput;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import dev.troupe.agents.error.ActionFailedException;
import dev.troupe.agents.event.RunListener;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.model.ModelBackend;
import dev.troupe.agents.model.internal.ModelGateway;
import dev.troupe.agents.model.RetryPolicy;
import dev.troupe.agents.role.Role;
import dev.troupe.agents.team.RunResult;
import dev.troupe.agents.team.RunStatus;
import dev.troupe.agents.team.Team;
import dev.troupe.agents.testing.Fakes;
import dev.troupe.agents.testing.RecordingBackend;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StructuredOutputTest {
    private static final JsonNode SCHEMA = Fakes.json("""
            {"type": "object", "required": ["title", "items"],
             "properties": {"title": {"type": "string"},
                            "items": {"type": "array", "minItems": 1, "items": {"type": "string"}}}}
            """);

    private static Team team(ModelBackend model, int maxRepairs) {
        return Team.builder("t")
                .role(Role.builder("Writer").watch(Message.USER_REQUIREMENT)
                        .actions(Action.builder("WriteSpec").instruction("Write a spec for {{requirement}}")
                                .schema(SCHEMA).maxRepairs(maxRepairs).build())
                        .build())
                .model(model)
                .retryPolicy(RetryPolicy.none())
                .build();
    }

    private static ModelBackend answering(String... replies) {
        StringBuilder yaml = new StringBuilder("replies:\n");
        for (String r : replies) {
            yaml.append("  - times: 1\n    reply: |-\n");
            r.lines().forEach(l -> yaml.append("      ").append(l).append('\n'));
        }
        return Fakes.script(yaml.toString());
    }

    @Test
    void fencedJsonOutputIsAccepted() {
        RunResult result = team(answering("""
                Here is the spec:
                ```json
                {"title": "Todo", "items": ["add", "remove"]}
                ```
                Let me know!"""), 2).run("a todo app");

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.payload("WriteSpec")).get().isEqualTo(Fakes.json("{\"title\": \"Todo\", \"items\": [\"add\", \"remove\"]}"));
        assertThat(Fakes.json(result.document("WriteSpec").orElseThrow().content()))
                .isEqualTo(result.payload("WriteSpec").orElseThrow());
    }

    @Test
    void jsonInsideProseIsAccepted() {
        RunResult result = team(answering(
                "Sure. The spec is {\"title\": \"Todo {v2}\", \"items\": [\"add\"]} and that is all."), 2).run("a todo app");

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.payload("WriteSpec")).get().extracting(j -> j.get("title").asText()).isEqualTo("Todo {v2}");
    }

    @Test
    void invalidOutputIsReaskedWithTheValidationErrorsAndTheValidRetryWins() {
        RecordingBackend model = new RecordingBackend(answering(
                "{\"title\": 5}",
                "{\"title\": \"Todo\", \"items\": [\"add\"]}"));

        RunResult result = team(model, 2).run("a todo app");

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(model.calls()).isEqualTo(2);
        String repair = model.prompts("WriteSpec").get(1);
        assertThat(repair).contains("Your reply is not valid")
                .contains("items")
                .contains("title")
                .contains("{\"title\": 5}");
        assertThat(model.requests("WriteSpec").get(1).step()).isEqualTo(1);
        assertThat(result.payload("WriteSpec")).get().extracting(j -> j.get("title").asText()).isEqualTo("Todo");
        assertThat(result.documents().get("WriteSpec")).hasSize(1);
    }

    @Test
    void replyWithoutJsonIsReaskedSayingSo() {
        RecordingBackend model = new RecordingBackend(answering(
                "I cannot do that.",
                "{\"title\": \"Todo\", \"items\": [\"add\"]}"));

        assertThat(team(model, 1).run("x").status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(model.prompts("WriteSpec").get(1)).contains("the reply contains no JSON value");
    }

    @Test
    void outputThatNeverValidatesFailsTheRunNamingRoleActionAndLastOutput() {
        RecordingBackend model = new RecordingBackend(Fakes.script("""
                replies:
                  - times: 1
                    reply: '{"title": 1}'
                  - reply: '{"title": "still no items"}'
                """));

        RunResult result = team(model, 1).run("a todo app");

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(model.calls()).isEqualTo(2);
        assertThat(result.error()).get().asString()
                .contains("Role 'Writer', action 'WriteSpec'")
                .contains("no valid output after 2 attempts")
                .contains("items")
                .contains("Last output:\n{\"title\": \"still no items\"}");
        assertThat(result.document("WriteSpec")).isEmpty();
    }

    @Test
    void extraCheckErrorsAreRepairedLikeSchemaErrors() {
        RecordingBackend model = new RecordingBackend(answering(
                "{\"title\": \"\", \"items\": [\"a\"]}",
                "{\"title\": \"T\", \"items\": [\"a\"]}"));
        ModelGateway gateway = ModelGateway.builder().retryPolicy(RetryPolicy.none()).build();
        Action action = Action.structured("WriteSpec", "Write a spec", SCHEMA);
        ActionContext ctx = new ActionContext("run-1", "Writer", "You are Writer.", name -> Optional.empty(), false,
                model, gateway, new RunListener() {},
                j -> j.get("title").asText().isEmpty() ? ImmutableList.of("title must not be empty") : ImmutableList.of());

        ActionOutput out = ActionExecutor.execute(action, ctx);

        assertThat(out.payload()).get().extracting(j -> j.get("title").asText()).isEqualTo("T");
        assertThat(out.synthetic()).isTrue();
        assertThat(model.prompts("WriteSpec").get(1)).contains("- title must not be empty");
    }

    @Test
    void schemaIsShownInThePrompt() {
        RecordingBackend model = new RecordingBackend(answering("{\"title\": \"T\", \"items\": [\"a\"]}"));

        team(model, 0).run("x");

        assertThat(model.prompts("WriteSpec").getFirst())
                .contains("## Output format")
                .contains("\"minItems\" : 1");
        assertThat(model.requests("WriteSpec").getFirst().outputSchema()).contains(SCHEMA);
    }

    @Test
    void unresolvableTemplateVariableFailsNamingTheVariable() {
        ModelGateway gateway = ModelGateway.builder().build();
        Action action = Action.text("Review", "Review {{WriteCode}}");
        ActionContext ctx = new ActionContext("run-1", "Bob", "You are Bob.", name -> Optional.empty(), true,
                Fakes.script("replies: [{reply: ok}]"), gateway, new RunListener() {}, ActionContext.noExtraCheck());

        assertThatThrownBy(() -> ActionExecutor.execute(action, ctx))
                .isInstanceOf(ActionFailedException.class)
                .hasMessageContaining("Role 'Bob', action 'Review'")
                .hasMessageContaining("{{WriteCode}}");
    }

    @Test
    void textActionReturnsTheReplyVerbatim() {
        ModelGateway gateway = ModelGateway.builder().build();
        ActionContext ctx = new ActionContext("run-1", "Bob", "You are Bob.", name -> Optional.of("v"), false,
                Fakes.script("replies: [{reply: '  spaced {\"json\": 1}  '}]"), gateway, new RunListener() {},
                ActionContext.noExtraCheck());

        ActionOutput out = ActionExecutor.execute(Action.text("Say", "Say {{requirement}}"), ctx);

        assertThat(out.content()).isEqualTo("  spaced {\"json\": 1}  ");
        assertThat(out.payload()).isEmpty();
        assertThat(out.model()).contains("scripted:test.yaml");
        assertThat(out.synthetic()).isTrue();
    }
}
