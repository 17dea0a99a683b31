package dev.troupe.agents.model.offline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.agents.action.Action;
import dev.troupe.agents.json.OutputSchema;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.role.ReactMode;
import dev.troupe.agents.role.Role;
import dev.troupe.agents.team.RunResult;
import dev.troupe.agents.team.RunStatus;
import dev.troupe.agents.team.Team;
import dev.troupe.agents.testing.Fakes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DryRunModelTest {
    private static final JsonNode NESTED = Fakes.json("""
            {
              "type": "object",
              "required": ["title", "status", "owner", "tasks", "tags"],
              "additionalProperties": false,
              "properties": {
                "title": {"type": "string", "minLength": 30},
                "status": {"type": "string", "enum": ["draft", "final"]},
                "owner": {
                  "type": "object",
                  "required": ["name", "age"],
                  "properties": {
                    "name": {"type": "string", "maxLength": 5},
                    "age": {"type": "integer", "minimum": 18},
                    "email": {"type": ["string", "null"]}
                  }
                },
                "tasks": {
                  "type": "array",
                  "minItems": 3,
                  "items": {
                    "type": "object",
                    "required": ["id", "priority", "done"],
                    "properties": {
                      "id": {"type": "integer", "exclusiveMinimum": 0},
                      "priority": {"enum": [3, 2, 1]},
                      "done": {"type": "boolean"},
                      "subtasks": {"type": "array", "items": {"type": "string"}}
                    }
                  }
                },
                "tags": {"type": "array", "minItems": 0, "maxItems": 0, "items": {"type": "string"}},
                "kind": {"const": "spec"},
                "score": {"type": "number", "minimum": 0.5},
                "choice": {"oneOf": [{"type": "integer"}, {"type": "string"}]}
              }
            }
            """);

    private static JsonNode placeholder(JsonNode schema) {
        String text = new DryRunModel().chat(Fakes.request("Alice", "Plan", "p", schema)).aiMessage().text();
        return Fakes.json(text);
    }

    private static void assertValid(JsonNode schema) {
        JsonNode value = placeholder(schema);
        assertThat(OutputSchema.of(schema, "test").validate(value)).as("errors of %s", value).isEmpty();
    }

    @Test
    void nestedSchemaGetsAPlaceholderThatValidates() {
        JsonNode value = placeholder(NESTED);

        assertThat(OutputSchema.of(NESTED, "test").validate(value)).as("errors of %s", value).isEmpty();
        assertThat(value.get("tasks")).hasSize(3);
        assertThat(value.get("status").asText()).isEqualTo("draft");
        assertThat(value.get("kind").asText()).isEqualTo("spec");
        assertThat(value.get("title").asText()).startsWith("dry-run");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"type\": \"integer\", \"maximum\": 0}",
            "{\"type\": \"integer\", \"minimum\": -5, \"maximum\": -2}",
            "{\"type\": \"number\", \"exclusiveMinimum\": 5}",
            "{\"type\": \"number\", \"maximum\": 0.5}",
            "{\"type\": \"integer\", \"exclusiveMaximum\": 1}",
            "{\"type\": \"string\", \"minLength\": 3, \"maxLength\": 4}",
            "{\"type\": \"array\", \"minItems\": 2, \"items\": {\"type\": \"integer\", \"minimum\": 7}}",
            "{\"type\": \"object\", \"required\": [\"a\"], \"properties\": {\"a\": {\"type\": \"null\"}}}",
            "{\"anyOf\": [{\"type\": \"boolean\"}, {\"type\": \"string\"}]}",
            "{\"type\": \"object\", \"properties\": {\"n\": {\"type\": \"integer\", \"default\": 4}}}"
    })
    void placeholdersRespectBoundsAndCombinators(String schema) {
        assertValid(Fakes.json(schema));
    }

    @Test
    void textOutputIsLabelledDryRunAndNamesTheCall() {
        String text = new DryRunModel().chat(Fakes.request("Alice", "WriteBlog", "p")).aiMessage().text();

        assertThat(text).startsWith("[dry-run]").contains("role Alice").contains("action WriteBlog");
    }

    @Test
    void teamRunsEndToEndOnDryRunWithValidPayloadsAndLabelledText() {
        Team team = Team.builder("dry")
                .role(Role.builder("Planner").watch(Message.USER_REQUIREMENT)
                        .actions(Action.structured("Spec", "Spec {{requirement}}", NESTED)).build())
                .role(Role.builder("Writer").watch("Spec")
                        .actions(Action.text("Write", "Write from {{Spec.title}}")).build())
                .role(Role.builder("Thinker").watch("Spec").mode(ReactMode.PLAN_AND_ACT)
                        .actions(Action.text("Ponder", "Ponder {{task}}")).build())
                .model("dry-run")
                .build();

        RunResult result = team.run("a plan");

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(OutputSchema.of(NESTED, "test").validate(result.payload("Spec").orElseThrow())).isEmpty();
        assertThat(result.document("Write").orElseThrow().content()).startsWith("[dry-run]");
        assertThat(result.document("Ponder").orElseThrow().content()).startsWith("[dry-run]");
        assertThat(result.messages().stream().skip(1)).allSatisfy(m -> assertThat(m.model()).contains("dry-run"));
        assertThat(result.totalUsage().costUsd()).isZero();
    }
}
