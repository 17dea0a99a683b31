package dev.troupe.agents.role;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.agents.action.Action;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.model.ModelBackend;
import dev.troupe.agents.model.RetryPolicy;
import dev.troupe.agents.team.RunResult;
import dev.troupe.agents.team.RunStatus;
import dev.troupe.agents.team.Team;
import dev.troupe.agents.testing.Fakes;
import dev.troupe.agents.testing.RecordingBackend;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanAndActModeTest {
    private static final String SPEC_SCHEMA = """
            {"type": "object", "required": ["endpoints"],
             "properties": {"endpoints": {"type": "array", "minItems": 1, "items": {"type": "string"}}}}
            """;

    private static Team team(ModelBackend model, int maxReplans, Action... actions) {
        return Team.builder("planners")
                .role(Role.builder("Dev").watch(Message.USER_REQUIREMENT).mode(ReactMode.PLAN_AND_ACT)
                        .maxReplans(maxReplans).actions(actions).build())
                .model(model)
                .retryPolicy(RetryPolicy.none())
                .build();
    }

    private static Action[] designCodeTest() {
        return new Action[] {
                Action.text("Design", "Write the design."),
                Action.text("Code", "Write the code."),
                Action.text("Test", "Write the tests.")};
    }

    private static List<String> published(RunResult r) {
        return r.messages().stream().map(Message::causeBy).filter(c -> !c.equals(Message.USER_REQUIREMENT)).toList();
    }

    @Test
    void runsPlannedTasksInDependencyOrderWhateverTheirListedOrder() {
        RecordingBackend model = new RecordingBackend(Fakes.script("""
                replies:
                  - action: _plan
                    reply:
                      tasks:
                        - {id: t3, action: Test, instruction: test it, dependsOn: [t2]}
                        - {id: t2, action: Code, instruction: code it, dependsOn: [t1]}
                        - {id: t1, action: Design, instruction: design it}
                  - {action: Design, reply: "design doc"}
                  - {action: Code, reply: "code"}
                  - {action: Test, reply: "tests"}
                """));

        RunResult result = team(model, 2, designCodeTest()).run("a parser");

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(published(result)).containsExactly("Design", "Code", "Test");
        assertThat(model.actions()).containsExactly("_plan", "Design", "Code", "Test");
        assertThat(model.prompts("_plan").getFirst()).contains("a parser").contains("- Design: Write the design.");
    }

    @Test
    void plannedTaskInstructionReachesTheActionsPrompt() {
        RecordingBackend model = new RecordingBackend(Fakes.script("""
                replies:
                  - action: _plan
                    reply:
                      tasks:
                        - {id: a, action: Code, instruction: implement the tokenizer}
                        - {id: b, action: Code, instruction: implement the evaluator, dependsOn: [a]}
                  - {action: Code, reply: "code"}
                """));

        RunResult result = team(model, 2, designCodeTest()).run("a calculator");

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        List<String> prompts = model.prompts("Code");
        assertThat(prompts).hasSize(2);
        assertThat(prompts.get(0)).contains("implement the tokenizer");
        assertThat(prompts.get(1)).contains("implement the evaluator");
    }

    @Test
    void taskVariableRendersThePlannedInstruction() {
        RecordingBackend model = new RecordingBackend(Fakes.script("""
                replies:
                  - action: _plan
                    reply: {tasks: [{id: a, action: Code, instruction: implement the tokenizer}]}
                  - {action: Code, reply: "code"}
                """));

        team(model, 2, Action.text("Code", "Do this: {{task}}")).run("a calculator");

        assertThat(model.prompts("Code")).singleElement().asString().contains("Do this: implement the tokenizer");
    }

    @Test
    void failingTaskTriggersAReplanThatNamesTheFailureAndTheRunSucceeds() {
        RecordingBackend model = new RecordingBackend(Fakes.script("""
                replies:
                  - action: _plan
                    when: "The last plan failed"
                    reply: {tasks: [{id: t2, action: Design, instruction: design without a spec}]}
                  - action: _plan
                    reply:
                      tasks:
                        - {id: t1, action: Spec, instruction: list the endpoints}
                        - {id: t2, action: Design, instruction: design it, dependsOn: [t1]}
                  - {action: Spec, reply: "sorry, no JSON today"}
                  - {action: Design, reply: "design doc"}
                """));

        RunResult result = team(model, 2,
                Action.builder("Spec").instruction("List the endpoints.").schema(Fakes.json(SPEC_SCHEMA)).maxRepairs(1).build(),
                Action.text("Design", "Write the design.")).run("an API");

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(published(result)).containsExactly("Design");
        assertThat(model.requests("Spec")).hasSize(2);
        List<String> plans = model.prompts("_plan");
        assertThat(plans).hasSize(2);
        assertThat(plans.get(0)).doesNotContain("The last plan failed");
        assertThat(plans.get(1)).contains("## The last plan failed")
                .contains("Role 'Dev', action 'Spec'")
                .contains("sorry, no JSON today");
    }

    @Test
    void replanDoesNotRepeatTasksAlreadyDone() {
        RecordingBackend model = new RecordingBackend(Fakes.script("""
                replies:
                  - action: _plan
                    when: "The last plan failed"
                    reply:
                      tasks:
                        - {id: t1, action: Design, instruction: design it}
                        - {id: t3, action: Code, instruction: code it, dependsOn: [t1]}
                  - action: _plan
                    reply:
                      tasks:
                        - {id: t1, action: Design, instruction: design it}
                        - {id: t2, action: Spec, instruction: spec it, dependsOn: [t1]}
                  - {action: Spec, reply: "not json"}
                  - {action: Design, reply: "design doc"}
                  - {action: Code, reply: "code"}
                """));

        RunResult result = team(model, 2,
                Action.builder("Spec").instruction("Spec.").schema(Fakes.json(SPEC_SCHEMA)).maxRepairs(0).build(),
                Action.text("Design", "Write the design."), Action.text("Code", "Write the code.")).run("an API");

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(published(result)).containsExactly("Design", "Code");
        assertThat(model.prompts("_plan").get(1)).contains("## Tasks already done (do not repeat them)\n- t1: Design: design it");
    }

    @Test
    void failingTasksPastMaxReplansFailTheRun() {
        RecordingBackend model = new RecordingBackend(Fakes.script("""
                replies:
                  - action: _plan
                    reply: {tasks: [{id: t1, action: Spec, instruction: spec it}]}
                  - {action: Spec, reply: "never json"}
                """));

        RunResult result = team(model, 1,
                Action.builder("Spec").instruction("Spec.").schema(Fakes.json(SPEC_SCHEMA)).maxRepairs(0).build())
                .run("an API");

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(model.requests("_plan")).hasSize(2);
        assertThat(result.error()).get().asString()
                .contains("the plan failed after 2 plans")
                .contains("never json");
    }

    @Test
    void planWithACycleIsReaskedWithTheProblem() {
        RecordingBackend model = new RecordingBackend(Fakes.script("""
                replies:
                  - action: _plan
                    times: 1
                    reply:
                      tasks:
                        - {id: a, action: Design, instruction: design, dependsOn: [b]}
                        - {id: b, action: Code, instruction: code, dependsOn: [a]}
                  - action: _plan
                    reply:
                      tasks:
                        - {id: b, action: Code, instruction: code, dependsOn: [a]}
                        - {id: a, action: Design, instruction: design}
                  - {action: Design, reply: "design doc"}
                  - {action: Code, reply: "code"}
                """));

        RunResult result = team(model, 2, designCodeTest()).run("a parser");

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(model.prompts("_plan")).hasSize(2);
        assertThat(model.prompts("_plan").get(1)).contains("Your reply is not valid").contains("cycle");
        assertThat(published(result)).containsExactly("Design", "Code");
    }

    @Test
    void planWithAnUnknownDependencyIsReaskedWithTheProblem() {
        RecordingBackend model = new RecordingBackend(Fakes.script("""
                replies:
                  - action: _plan
                    times: 1
                    reply: {tasks: [{id: a, action: Design, instruction: design, dependsOn: [ghost]}]}
                  - action: _plan
                    reply: {tasks: [{id: a, action: Design, instruction: design}]}
                  - {action: Design, reply: "design doc"}
                """));

        RunResult result = team(model, 2, designCodeTest()).run("a parser");

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(model.prompts("_plan").get(1)).contains("task 'a' depends on unknown task 'ghost'");
        assertThat(published(result)).containsExactly("Design");
    }

    @Test
    void planThatNeverBecomesValidFailsTheRun() {
        RecordingBackend model = new RecordingBackend(Fakes.script("""
                replies:
                  - action: _plan
                    reply: {tasks: [{id: a, action: Design, instruction: design, dependsOn: [a]}]}
                """));

        RunResult result = team(model, 2, designCodeTest()).run("a parser");

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error()).get().asString().contains("action '_plan'").contains("cycle");
        assertThat(model.requests("_plan")).hasSize(3);
    }

    @Test
    void replanAfterATaskUsedAnOutputNotYetProducedCanRecover() {
        // The failure names the missing {{Code}}; quoting it into the re-plan prompt must not break the re-plan.
        RecordingBackend model = new RecordingBackend(Fakes.script("""
                replies:
                  - action: _plan
                    when: "The last plan failed"
                    reply:
                      tasks:
                        - {id: c, action: Code, instruction: code}
                        - {id: r, action: Review, instruction: review, dependsOn: [c]}
                  - action: _plan
                    reply: {tasks: [{id: r, action: Review, instruction: review}]}
                  - {action: Code, reply: "code"}
                  - {action: Review, reply: "looks good"}
                """));

        RunResult result = team(model, 2,
                Action.text("Code", "Write the code."),
                Action.text("Review", "Review {{Code}}")).run("a parser");

        assertThat(result.error()).isEmpty();
        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(published(result)).containsExactly("Code", "Review");
        assertThat(model.prompts("_plan").get(1)).contains("{{Code}}");
    }
}
