package dev.troupe.agents.team;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.agents.action.Action;
import dev.troupe.agents.error.SopProblem;
import dev.troupe.agents.error.SopValidationException;
import dev.troupe.agents.json.internal.Json;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.model.offline.DryRunModel;
import dev.troupe.agents.role.Role;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A template's fields are checked against the output schema of the action that produces them, when the team is built. */
class TemplateFieldValidationTest {
    private static final String CLASSIFICATION = """
            {"type": "object", "required": ["severity", "summary"],
             "properties": {
               "severity": {"type": "string", "enum": ["low", "high"]},
               "summary": {"type": "string"},
               "details": {"type": "object", "properties": {"owner": {"type": "string"}}},
               "tags": {"type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"}}}},
               "extra": {"type": "object", "additionalProperties": true},
               "linked": {"$ref": "#/properties/details"}}}
            """;

    private static final String BUG_OR_FEATURE = """
            {"anyOf": [{"type": "object", "properties": {"bug": {"type": "string"}}},
                       {"type": "object", "properties": {"feature": {"type": "string"}}}]}
            """;

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Team.Builder team(String classifySchema, String reportInstruction) {
        return Team.builder("triage")
                .role(Role.builder("Triager").watch(Message.USER_REQUIREMENT)
                        .actions(Action.structured("Classify", "Classify {{requirement}}", json(classifySchema))).build())
                .role(Role.builder("Writer").watch("Classify").actions(Action.text("Report", reportInstruction)).build())
                .model(new DryRunModel());
    }

    private static SopValidationException invalid(String reportInstruction) {
        return catchThrowableOfType(SopValidationException.class, () -> team(CLASSIFICATION, reportInstruction).build());
    }

    @Test
    void fieldMissingFromTheProducersSchemaFailsTheBuildNamingRoleActionFieldAndTheNearestField() {
        SopValidationException e = invalid("Write up a {{Classify.severty}} issue: {{Classify.summary}}");

        assertThat(e).isNotNull();
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.role()).contains("Writer");
            assertThat(p.action()).contains("Report");
            assertThat(p.key()).isEqualTo("instruction");
            assertThat(p.message()).contains("action 'Report' of role 'Writer' uses {{Classify.severty}}")
                    .contains("the output schema of 'Classify' has no field 'severty'")
                    .contains("did you mean 'severity'?")
                    .contains("its fields are severity, summary, details, tags, extra, linked");
        });
    }

    @Test
    void fieldsTheSchemaListsNestedAndByIndexAreAccepted() {
        Team t = team(CLASSIFICATION, "{{Classify.severity}} {{Classify.details.owner}} {{Classify.tags.0}} {{Classify.tags.3.name}}"
                + " {{Classify}}").build();

        assertThat(t.roles()).hasSize(2);
    }

    @Test
    void nestedTypoIsReportedWithThePathThatLeadsToIt() {
        SopValidationException e = invalid("{{Classify.details.ownr}} and {{Classify.tags.0.nmae}}");

        assertThat(e.problems()).extracting(SopProblem::message).satisfiesExactly(
                m -> assertThat(m).contains("the output schema of 'Classify.details' has no field 'ownr' (did you mean 'owner'?)"),
                m -> assertThat(m).contains("the output schema of 'Classify.tags.0' has no field 'nmae' (did you mean 'name'?)"));
    }

    @Test
    void aFieldFarFromEveryFieldGetsTheListButNoHint() {
        assertThat(invalid("{{Classify.zebra}}").getMessage())
                .contains("has no field 'zebra'").contains("its fields are severity").doesNotContain("did you mean");
    }

    @Test
    void aFieldOfTextOrAListWithoutAnIndexIsRejected() {
        SopValidationException e = invalid("{{Classify.summary.first}} {{Classify.tags.name}}");

        assertThat(e.problems()).extracting(SopProblem::message).satisfiesExactly(
                m -> assertThat(m).contains("'Classify.summary' is a string in its output schema and has no fields"),
                m -> assertThat(m).contains("'Classify.tags' is a list in its output schema; reach an item by its index, e.g. {{Classify.tags.0}}"));
    }

    @Test
    void fieldsUnderOpenOrReferencedSchemasAreNotGuessedAt() {
        Team t = team(CLASSIFICATION, "{{Classify.extra.anything}} {{Classify.linked.owner}}").build();

        assertThat(t.roles()).hasSize(2);
    }

    @Test
    void fieldsOfEitherBranchOfAnAnyOfAreAccepted() {
        Team t = team(BUG_OR_FEATURE, "{{Classify.bug}} {{Classify.feature}}").build();

        assertThat(t.roles()).hasSize(2);
        assertThat(catchThrowableOfType(SopValidationException.class, () -> team(BUG_OR_FEATURE, "{{Classify.feature.x}} {{Classify.featur}}").build()).getMessage())
                .contains("'Classify.feature' is a string").contains("no field 'featur' (did you mean 'feature'?)");
    }

    @Test
    void everyProblemSaysWhichRoleActionAndSettingItIsAbout() {
        SopValidationException e = catchThrowableOfType(SopValidationException.class, () -> Team.builder("t")
                .role(Role.builder("Alice").watch(Message.USER_REQUIREMENT)
                        .actions(Action.builder("Say").instruction("{{requirement}}").sendTo("Bobb").build()).build())
                .role(Role.builder("Bob").watch("Sya").actions(Action.text("Echo", "{{Say.text}} {{task}}")).build())
                .model(new DryRunModel()).build());

        assertThat(e.problems()).extracting(p -> p.role().orElse("") + "/" + p.action().orElse("") + "/" + p.key())
                .containsExactlyInAnyOrder("Alice/Say/sendTo", "Bob//watch", "Bob/Echo/instruction");
        assertThat(e.problems()).filteredOn(p -> p.key().equals("instruction")).singleElement()
                .extracting(SopProblem::message).asString().contains("uses {{task}}, which only has a value in plan_and_act roles");
        assertThat(catchThrowableOfType(SopValidationException.class, () -> Team.builder("t").model(new DryRunModel()).build())
                .problems()).containsExactly(new SopProblem(Optional.empty(), Optional.empty(), "roles", "the team has no roles"));
    }

    @Test
    void aMisspeltActionOrBuiltInGetsTheNearestName() {
        SopValidationException e = invalid("{{Clasify.severity}} for {{requirment}} and {{Zebra}}");

        assertThat(e.problems()).extracting(SopProblem::message).satisfiesExactly(
                m -> assertThat(m).contains("uses {{Clasify}}, which is neither").endsWith("(did you mean {{Classify}}?)"),
                m -> assertThat(m).contains("uses {{requirment}}, which is neither").endsWith("(did you mean {{requirement}}?)"),
                m -> assertThat(m).contains("uses {{Zebra}}, which is neither").doesNotContain("did you mean"));
    }

    @Test
    void builtInTextVariablesHaveNoFields() {
        SopValidationException e = catchThrowableOfType(SopValidationException.class, () -> team(CLASSIFICATION,
                "{{news.first}} {{requirement.title}}").build());

        assertThat(e.problems()).hasSize(2).allSatisfy(p ->
                assertThat(p.message()).contains("requirement, history, news and task are text and have no fields"));
    }
}
