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

class ReactModeTest {

    private static Team team(ModelBackend model, int maxReactLoop, Action... actions) {
        return Team.builder("react")
                .role(Role.builder("Agent").watch(Message.USER_REQUIREMENT).mode(ReactMode.REACT)
                        .maxReactLoop(maxReactLoop).actions(actions).build())
                .model(model)
                .retryPolicy(RetryPolicy.none())
                .build();
    }

    private static List<String> published(RunResult r) {
        return r.messages().stream().map(Message::causeBy).filter(c -> !c.equals(Message.USER_REQUIREMENT)).toList();
    }

    @Test
    void thinkRepliesPickActionsUntilStop() {
        RecordingBackend model = new RecordingBackend(Fakes.script("""
                replies:
                  - {action: _think, times: 1, reply: {next: Search, reason: need facts}}
                  - {action: _think, times: 1, reply: {next: Answer, reason: have facts}}
                  - {action: _think, reply: {next: STOP, reason: done}}
                  - {action: Search, reply: "search results"}
                  - {action: Answer, reply: "the answer is 42"}
                """));
        RunResult result = team(model, 5,
                Action.text("Search", "Search for facts about {{requirement}}"),
                Action.text("Answer", "Answer the question from {{history}}")).run("what is the answer?");

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(published(result)).containsExactly("Search", "Answer");
        assertThat(model.actions()).containsExactly("_think", "Search", "_think", "Answer", "_think");
        assertThat(result.document("Answer")).get().extracting(Message::content).isEqualTo("the answer is 42");
    }

    @Test
    void thinkPromptOffersEveryActionPlusStopAndListsActionsAlreadyTaken() {
        RecordingBackend model = new RecordingBackend(Fakes.script("""
                replies:
                  - {action: _think, times: 1, reply: {next: Search}}
                  - {action: _think, reply: {next: STOP}}
                  - {action: Search, reply: "search results"}
                """));
        team(model, 5, Action.text("Search", "Search the web"), Action.text("Answer", "Answer it"))
                .run("question");

        List<String> thinks = model.prompts("_think");
        assertThat(thinks).hasSize(2);
        assertThat(thinks.get(0)).contains("- Search: Search the web", "- Answer: Answer it", "STOP")
                .contains("## Actions you already took for this news\nnone");
        assertThat(thinks.get(1)).contains("## Actions you already took for this news\nSearch")
                .contains("search results");
        assertThat(model.requests("_think").getFirst().outputSchema()).get()
                .extracting(s -> s.at("/properties/next/enum").toString())
                .isEqualTo("[\"Search\",\"Answer\",\"STOP\"]");
    }

    @Test
    void stopsAtMaxReactLoopWhenTheModelNeverSaysStop() {
        RecordingBackend model = new RecordingBackend(Fakes.script("""
                replies:
                  - {action: _think, reply: {next: Search}}
                  - {action: Search, reply: "more results"}
                """));
        RunResult result = team(model, 3, Action.text("Search", "Search"), Action.text("Answer", "Answer"))
                .run("question");

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(published(result)).containsExactly("Search", "Search", "Search");
        assertThat(model.requests("_think")).hasSize(3);
        assertThat(model.calls()).isEqualTo(6);
    }

    @Test
    void thinkReplyNamingAnUnknownActionIsRepairedAgainstTheEnum() {
        RecordingBackend model = new RecordingBackend(Fakes.script("""
                replies:
                  - {action: _think, times: 1, reply: {next: Dance}}
                  - {action: _think, times: 1, reply: {next: Search}}
                  - {action: _think, reply: {next: STOP}}
                  - {action: Search, reply: "results"}
                """));
        RunResult result = team(model, 5, Action.text("Search", "Search")).run("question");

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(published(result)).containsExactly("Search");
        assertThat(model.prompts("_think").get(1)).contains("Your reply is not valid");
    }

    @Test
    void actionsWhoseInstructionsUseOutputsNotYetProducedCanStillBeChosen() {
        // The think prompt describes each action by its instruction's first line; a placeholder there
        // ({{Search}} before any search ran) must not break the think step.
        RecordingBackend model = new RecordingBackend(Fakes.script("""
                replies:
                  - {action: _think, times: 1, reply: {next: Search}}
                  - {action: _think, times: 1, reply: {next: Answer}}
                  - {action: _think, reply: {next: STOP}}
                  - {action: Search, reply: "search results"}
                  - {action: Answer, when: "Answer from search results", reply: "answer"}
                """));
        RunResult result = team(model, 5,
                Action.text("Search", "Search for {{requirement}}"),
                Action.text("Answer", "Answer from {{Search}}")).run("question");

        assertThat(result.error()).isEmpty();
        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(published(result)).containsExactly("Search", "Answer");
        assertThat(model.prompts("_think").getFirst()).contains("- Answer: Answer from");
    }
}
