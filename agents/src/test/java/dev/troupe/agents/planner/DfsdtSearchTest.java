package dev.troupe.agents.planner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.troupe.agents.action.Action;
import dev.troupe.agents.event.RunEvent;
import dev.troupe.agents.event.RunListener;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.model.ModelRequest;
import dev.troupe.agents.model.offline.ScriptedModel;
import dev.troupe.agents.role.Role;
import dev.troupe.agents.team.RunResult;
import dev.troupe.agents.team.RunStatus;
import dev.troupe.agents.team.Team;
import dev.troupe.agents.testing.Fakes;
import dev.troupe.agents.tool.ActionTool;
import dev.troupe.agents.tool.ToolResult;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class DfsdtSearchTest {

    private static ActionTool tool(String name, String answer, List<String> calls) {
        return new ActionTool() {
            @Override
            public ToolSpecification specification() {
                return ToolSpecification.builder().name(name).description(name.replace('_', ' ')).build();
            }

            @Override
            public ToolResult execute(String argumentsJson) {
                calls.add(name + argumentsJson);
                return ToolResult.ok(answer);
            }
        };
    }

    private record Outcome(RunResult result, List<RunEvent.SearchNode> nodes, List<String> prompts) {}

    private static Outcome run(String script, PlannerKind planner, SearchSettings settings, List<String> toolCalls) {
        ScriptedModel model = Fakes.script(script);
        List<String> prompts = new CopyOnWriteArrayList<>();
        var recording = Fakes.backend("scripted:test.yaml", (ModelRequest r) -> {
            prompts.add(r.promptText());
            return model.chat(r);
        });
        List<RunEvent.SearchNode> nodes = new CopyOnWriteArrayList<>();
        Role traveller = Role.builder("Agent").profile("Travel agent").watch(Message.USER_REQUIREMENT)
                .actions(Action.builder("Trip").instruction("Find a way to travel: {{requirement}}")
                        .tools(List.of(tool("search_flights", "no flights on that day", toolCalls),
                                tool("search_trains", "train at 9:00, 42 EUR", toolCalls)))
                        .planner(planner).search(settings).build())
                .build();
        RunResult result = Team.builder("travel").role(traveller).model(recording)
                .listener(new RunListener() {
                    @Override
                    public void onSearchNode(RunEvent.SearchNode e) {
                        nodes.add(e);
                    }
                })
                .build().run("Paris to Lyon tomorrow");
        return new Outcome(result, nodes, prompts);
    }

    private static final String GIVE_UP_THEN_TRAIN = """
            replies:
              - toolCalls: [{name: search_flights, arguments: {from: Paris, to: Lyon}}]
                times: 1
              - when: "no flights"
                toolCalls: [{name: Finish, arguments: {return_type: give_up_and_restart, final_answer: no flights}}]
                times: 1
              - when: "earlier attempt"
                toolCalls: [{name: search_trains, arguments: {from: Paris, to: Lyon}}]
                times: 1
              - when: "train at 9:00"
                toolCalls: [{name: Finish, arguments: {return_type: give_answer, final_answer: "Take the 9:00 train (42 EUR)."}}]
            """;

    @Test
    void backtracksAfterGiveUpAndTriesADifferentActionShownTheEarlierOnes() {
        List<String> toolCalls = new CopyOnWriteArrayList<>();
        Outcome o = run(GIVE_UP_THEN_TRAIN, PlannerKind.DFSDT, SearchSettings.defaults(), toolCalls);

        assertThat(o.result().status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(o.result().document("Trip").orElseThrow().content()).isEqualTo("Take the 9:00 train (42 EUR).");
        assertThat(toolCalls).containsExactly("search_flights{\"from\":\"Paris\",\"to\":\"Lyon\"}",
                "search_trains{\"from\":\"Paris\",\"to\":\"Lyon\"}");
        assertThat(o.nodes()).extracting(RunEvent.SearchNode::kind)
                .containsExactly("root", "tool_call", "give_up", "backtrack", "tool_call", "answer");
        assertThat(o.nodes()).extracting(RunEvent.SearchNode::parent).containsExactly(-1, 0, 1, 0, 1, 3);
        // The backtrack is node 1 expanded again, and names the action it must not repeat.
        assertThat(o.nodes().get(3).node()).isEqualTo(1);
        assertThat(o.nodes().get(3).detail()).contains("Finish(").contains("give_up_and_restart");
        // The re-expanded node is told what it tried before.
        assertThat(o.prompts().get(2)).contains("earlier attempt").contains("Finish(");
        assertThat(o.prompts()).hasSize(4);
    }

    @Test
    void searchThatOnlyGivesUpEndsWithAClearFailureWithinItsBudget() {
        String script = """
                replies:
                  - toolCalls: [{name: Finish, arguments: {return_type: give_up_and_restart}}]
                """;
        Outcome o = run(script, PlannerKind.DFSDT, new SearchSettings(3, 4, 10), new CopyOnWriteArrayList<>());

        assertThat(o.result().status()).isEqualTo(RunStatus.FAILED);
        assertThat(o.result().error()).get().asString().contains("DFSDT found no answer").contains("3 model calls");
        assertThat(o.prompts()).hasSize(3);   // width 3 at the root, every child gave up
    }

    @Test
    void deadEndsAtTheDepthLimitBacktrackToSiblings() {
        String script = """
                replies:
                  - when: "earlier attempt"
                    toolCalls: [{name: Finish, arguments: {return_type: give_answer, final_answer: found it}}]
                  - toolCalls: [{name: search_flights, arguments: {}}]
                """;
        Outcome o = run(script, PlannerKind.DFSDT, new SearchSettings(2, 2, 20), new CopyOnWriteArrayList<>());

        assertThat(o.result().status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(o.result().document("Trip").orElseThrow().content()).isEqualTo("found it");
        assertThat(o.nodes()).extracting(RunEvent.SearchNode::kind).contains("dead_end");
    }

    @Test
    void reactEndsOnFinishWithTheFinalAnswer() {
        String script = """
                replies:
                  - toolCalls: [{name: search_trains, arguments: {}}]
                    times: 1
                  - toolCalls: [{name: Finish, arguments: {return_type: give_answer, final_answer: "Train at 9:00."}}]
                """;
        Outcome o = run(script, PlannerKind.REACT, SearchSettings.defaults(), new CopyOnWriteArrayList<>());

        assertThat(o.result().status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(o.result().document("Trip").orElseThrow().content()).isEqualTo("Train at 9:00.");
        assertThat(o.nodes()).isEmpty();
    }

    @Test
    void reactCannotRestartSoGivingUpFailsTheActionSayingWhy() {
        String script = """
                replies:
                  - toolCalls: [{name: Finish, arguments: {return_type: give_up_and_restart, final_answer: stuck}}]
                """;
        Outcome o = run(script, PlannerKind.REACT, SearchSettings.defaults(), new CopyOnWriteArrayList<>());

        assertThat(o.result().status()).isEqualTo(RunStatus.FAILED);
        assertThat(o.result().error()).get().asString().contains("gave up").contains("stuck").contains("dfsdt");
    }

    @Test
    void aProvidersChoiceOfToolsIsReportedWithHowAndScoresBeforeTheSearch() {
        List<String> calls = new CopyOnWriteArrayList<>();
        ActionTool trains = tool("search_trains", "train at 9:00, 42 EUR", calls);
        dev.troupe.agents.tool.ToolProvider retriever = new dev.troupe.agents.tool.ToolProvider() {
            @Override
            public List<ActionTool> toolsFor(String prompt) {
                return List.of(trains);
            }

            @Override
            public Choice choose(String prompt) {
                return new Choice(toolsFor(prompt), "test retrieval for '" + prompt.lines().findFirst().orElse("") + "'", List.of(0.75));
            }
        };
        List<RunEvent> events = new CopyOnWriteArrayList<>();
        Role traveller = Role.builder("Agent").watch(Message.USER_REQUIREMENT)
                .actions(Action.builder("Trip").instruction("{{requirement}}").toolProvider(retriever).planner(PlannerKind.DFSDT).build())
                .build();
        RunResult result = Team.builder("travel").role(traveller).model(Fakes.script("""
                replies:
                  - when: "train at 9:00"
                    toolCalls: [{name: Finish, arguments: {return_type: give_answer, final_answer: "Train at 9:00."}}]
                  - toolCalls: [{name: search_trains, arguments: {}}]
                """)).listener(new RunListener() {
                    @Override
                    public void on(RunEvent e) {
                        events.add(e);
                    }
                }).build().run("Paris to Lyon");

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        List<RunEvent.ToolsChosen> chosen = events.stream().filter(e -> e instanceof RunEvent.ToolsChosen)
                .map(e -> (RunEvent.ToolsChosen) e).toList();
        assertThat(chosen).singleElement().satisfies(c -> {
            assertThat(c.how()).isEqualTo("test retrieval for 'Paris to Lyon'");
            assertThat(c.tools()).containsExactly("search_trains");
            assertThat(c.scores()).containsExactly(0.75);
        });
        assertThat(events.indexOf(chosen.get(0))).isLessThan(events.indexOf(events.stream()
                .filter(e -> e instanceof RunEvent.SearchNode).findFirst().orElseThrow()));
    }
}
