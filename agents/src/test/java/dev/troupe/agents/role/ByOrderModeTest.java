package dev.troupe.agents.role;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.agents.action.Action;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.model.RetryPolicy;
import dev.troupe.agents.team.RunResult;
import dev.troupe.agents.team.RunStatus;
import dev.troupe.agents.team.Team;
import dev.troupe.agents.testing.Fakes;
import dev.troupe.agents.testing.RecordingBackend;
import org.junit.jupiter.api.Test;

class ByOrderModeTest {

    @Test
    void runsActionsInOrderAndTheSecondSeesTheFirstsOutput() {
        RecordingBackend model = new RecordingBackend(Fakes.script("""
                replies:
                  - action: Draft
                    reply: "draft-1: a todo app with tags"
                  - action: Polish
                    when: "Polish this draft: draft-1: a todo app with tags"
                    reply: "final: a polished todo app"
                """));
        Team team = Team.builder("writers")
                .role(Role.builder("Writer").watch(Message.USER_REQUIREMENT)
                        .actions(Action.text("Draft", "Draft a plan for {{requirement}}"),
                                Action.text("Polish", "Polish this draft: {{Draft}}"))
                        .build())
                .model(model)
                .retryPolicy(RetryPolicy.none())
                .build();

        RunResult result = team.run("a todo app");

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(model.actions()).containsExactly("Draft", "Polish");
        assertThat(result.messages()).extracting(Message::causeBy)
                .containsExactly(Message.USER_REQUIREMENT, "Draft", "Polish");
        assertThat(result.document("Polish")).get().extracting(Message::content).isEqualTo("final: a polished todo app");
        assertThat(model.prompts("Draft").getFirst()).contains("Draft a plan for a todo app");
    }

    @Test
    void actionWithoutInputVariablesGetsTheTriggeringMessagesAppended() {
        RecordingBackend model = new RecordingBackend(Fakes.script("""
                replies:
                  - reply: done
                """));
        Team team = Team.builder("t")
                .role(Role.builder("Writer").watch(Message.USER_REQUIREMENT)
                        .actions(Action.text("Summarise", "Summarise the input for {{role.name}}.")).build())
                .model(model)
                .build();

        assertThat(team.run("the quarterly numbers").succeeded()).isTrue();
        assertThat(model.prompts("Summarise").getFirst())
                .contains("Summarise the input for Writer.")
                .contains("## Input")
                .contains("the quarterly numbers");
    }

    @Test
    void publishedMessagesCarryRoundSenderParentsAndModel() {
        Team team = Team.builder("chain")
                .role(Role.builder("A").watch(Message.USER_REQUIREMENT).actions(Action.text("StepA", "a {{requirement}}")).build())
                .role(Role.builder("B").watch("StepA").actions(Action.text("StepB", "b {{StepA}}")).build())
                .role(Role.builder("C").watch("StepB").actions(Action.text("StepC", "c {{StepB}}")).build())
                .model(Fakes.script("""
                        replies:
                          - reply: ok
                        """))
                .build();

        RunResult result = team.run("go");

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        Message req = result.messages().getFirst();
        Message a = result.document("StepA").orElseThrow();
        Message b = result.document("StepB").orElseThrow();
        Message c = result.document("StepC").orElseThrow();
        assertThat(req.round()).isZero();
        assertThat(a.round()).isEqualTo(1);
        assertThat(b.round()).isEqualTo(2);
        assertThat(c.round()).isEqualTo(3);
        assertThat(b.sender()).isEqualTo("B");
        assertThat(b.parents()).containsExactly(a.id());
        assertThat(a.parents()).containsExactly(req.id());
        assertThat(c.model()).contains("scripted:test.yaml");
        assertThat(req.model()).isEmpty();
    }
}
