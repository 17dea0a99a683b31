package dev.troupe.agents.role.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.agents.action.Action;
import dev.troupe.agents.role.ReactMode;
import dev.troupe.agents.role.Role;
import dev.troupe.agents.json.internal.Json;
import org.junit.jupiter.api.Test;

/**
 * The think and plan steps read from steps.yaml send the prompts and schemas that scripts and recorded
 * cassettes were written against: a change to the resource shows up here first.
 */
class InternalStepsTest {
    private static final Role WRITER = Role.builder("Writer").mode(ReactMode.REACT)
            .actions(Action.text("Draft", "Draft the report\nin detail"), Action.text("Polish", "Polish {{Draft}}")).build();

    @Test
    void thinkAsksForTheNextActionOrStopAmongTheRolesActions() throws Exception {
        Action think = InternalSteps.think(WRITER);

        assertThat(think.name()).isEqualTo(Role.THINK);
        assertThat(think.instruction().text()).isEqualTo("Decide your next step.\n\n## Your actions\n{{_actions}}"
                + "\n\n## Messages so far\n{{history}}\n\n## Actions you already took for this news\n{{_taken}}"
                + "\n\nName the next action to take, or STOP when your goal is met.");
        assertThat(think.schema().orElseThrow().node()).isEqualTo(Json.MAPPER.readTree("""
                {"type":"object","required":["next"],"properties":{
                  "next":{"type":"string","enum":["Draft","Polish","STOP"]},"reason":{"type":"string"}}}"""));
        assertThat(think.schema().orElseThrow().node().toString()).startsWith("{\"type\":\"object\",\"required\":[\"next\"],");
    }

    @Test
    void planAddsTheDoneTasksAndTheFailureOnlyWhenThereAreSome() throws Exception {
        String base = "Plan the work for the news below as a list of tasks. Each task uses one of"
                + " your actions, has an id, an instruction, and the ids of the tasks it depends on.\n\n## Your actions\n"
                + "{{_actions}}\n\n## Requirement\n{{requirement}}\n\n## News\n{{news}}";
        String done = "\n\n## Tasks already done (do not repeat them)\n{{_done}}";
        String failed = "\n\n## The last plan failed\n{{_failure}}\nWrite a new plan for the remaining work.";

        assertThat(InternalSteps.plan(WRITER, false, false).instruction().text()).isEqualTo(base);
        assertThat(InternalSteps.plan(WRITER, true, false).instruction().text()).isEqualTo(base + done);
        assertThat(InternalSteps.plan(WRITER, true, true).instruction().text()).isEqualTo(base + done + failed);
        assertThat(InternalSteps.plan(WRITER, false, true).instruction().text()).isEqualTo(base + failed);
        assertThat(InternalSteps.plan(WRITER, false, false).schema().orElseThrow().node()).isEqualTo(Json.MAPPER.readTree("""
                {"type":"object","required":["tasks"],"properties":{"tasks":{"type":"array","minItems":1,"items":{
                  "type":"object","required":["id","action","instruction"],"properties":{
                    "id":{"type":"string"},"action":{"type":"string","enum":["Draft","Polish"]},"instruction":{"type":"string"},
                    "dependsOn":{"type":"array","minItems":0,"items":{"type":"string"}}}}}}}"""));
    }

    @Test
    void actionsAreListedWithTheFirstLineOfTheirInstruction() {
        assertThat(InternalSteps.describeActions(WRITER)).isEqualTo("- Draft: Draft the report\n- Polish: Polish {{Draft}}");
    }

    @Test
    void eachRoleGetsItsOwnChoicesWithoutChangingAnotherRoles() {
        Role other = Role.builder("Other").actions(Action.text("Only", "Only this")).build();
        InternalSteps.think(WRITER);

        assertThat(InternalSteps.think(other).schema().orElseThrow().node().at("/properties/next/enum").toString())
                .isEqualTo("[\"Only\",\"STOP\"]");
    }
}
