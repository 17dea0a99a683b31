package dev.troupe.agents.reflection;

import static dev.troupe.agents.reflection.TrialFixtures.weatherTools;
import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.agents.action.Action;
import dev.troupe.agents.event.RunEvent;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.model.ModelRequest;
import dev.troupe.agents.planner.PlannerKind;
import dev.troupe.agents.planner.SearchSettings;
import dev.troupe.agents.role.Role;
import dev.troupe.agents.team.RunStatus;
import dev.troupe.agents.team.Team;
import dev.troupe.agents.testing.Fakes;
import dev.troupe.memory.reflection.FailureReason;
import dev.troupe.memory.reflection.TaskKey;
import dev.troupe.memory.reflection.TaskMemory;
import dev.troupe.memory.reflection.TrialOutcome;
import dev.troupe.memory.reflection.store.JdbcReflectionStore;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DFSDT under structured reflection: a search that ends without give_answer becomes a trial to reflect on. */
class ReflectiveSearchTest {

    /**
     * Width 1: the only path looks the city up, asks the weather by name, and gives up, so the tree is
     * spent without an answer. The reflection names step 2 of that path.
     */
    private static final String SCRIPT = """
            replies:
              - action: Forecast
                when: "temp_c"
                toolCalls: [{name: Finish, arguments: {return_type: give_answer, final_answer: "18 C in Paris"}}]
              - action: Forecast
                when: "unknown city_id"
                toolCalls: [{name: Finish, arguments: {return_type: give_up_and_restart, final_answer: wrong id}}]
              - action: Forecast
                when: "FR-75"
                toolCalls: [{name: get_weather, arguments: {city_id: paris}}]
              - action: Forecast
                toolCalls: [{name: find_city, arguments: {name: Paris}}]
              - action: _reflect
                reply: '{"step": 2, "lesson": "pass the id find_city returned", "corrected_action": {"tool": "get_weather", "arguments": {"city_id": "FR-75"}}}'
            """;

    private static TrialFixtures.Recorded run(JdbcReflectionStore store, List<String> calls, int maxTrials) {
        Role agent = Role.builder("Agent").watch(Message.USER_REQUIREMENT)
                .actions(Action.builder("Forecast").instruction("What is the weather in {{requirement}}?").tools(weatherTools(calls))
                        .planner(PlannerKind.DFSDT).search(new SearchSettings(1, 4, 10))
                        .reflection(ReflectionSettings.defaults().withMaxTrials(maxTrials)).build())
                .build();
        return TrialFixtures.run(Team.builder("weather").role(agent).reflectionStore(store), Fakes.script(SCRIPT), "Paris");
    }

    @Test
    void exhaustedSearchIsReflectedOnAndTheNextSearchReplaysThePathAndForcesTheCorrection(@TempDir Path dir) {
        try (JdbcReflectionStore store = JdbcReflectionStore.inWorkspace(dir)) {
            List<String> calls = new CopyOnWriteArrayList<>();
            TrialFixtures.Recorded o = run(store, calls, 3);

            assertThat(o.result().status()).as(o.result().error().orElse("")).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(o.result().document("Forecast").orElseThrow().content()).isEqualTo("18 C in Paris");
            List<RunEvent.TrialEnded> trials = o.events(RunEvent.TrialEnded.class);
            assertThat(trials).extracting(RunEvent.TrialEnded::passed).containsExactly(false, true);
            assertThat(trials.getFirst().why()).contains("DFSDT found no answer");
            assertThat(trials.getFirst().steps()).as("the longest path explored").isEqualTo(2);
            assertThat(o.events(RunEvent.Reflected.class)).singleElement().satisfies(r -> assertThat(r.step()).isEqualTo(2));
            // Search 2: find_city replayed from its cached observation (read-only), get_weather forced, then the answer.
            List<RunEvent.SearchNode> second = o.events(RunEvent.SearchNode.class).stream()
                    .dropWhile(n -> !(n.kind().equals("root") && n.node() > 0)).toList();
            assertThat(second).extracting(RunEvent.SearchNode::kind).containsExactly("root", "replayed", "forced", "answer");
            assertThat(second.get(1).detail()).contains("find_city").contains("cached observation");
            assertThat(calls).containsExactly("find_city{\"name\":\"Paris\"}", "get_weather{\"city_id\":\"paris\"}",
                    "get_weather{\"city_id\":\"FR-75\"}");
            TaskMemory stored = store.load(TaskKey.derive("weather", "Agent", "Forecast", "Paris")).orElseThrow();
            assertThat(stored.lessons()).singleElement().satisfies(l -> assertThat(l.stepIndex()).isEqualTo(1));
            assertThat(stored.trial(1).orElseThrow().outcome()).isEqualTo(TrialOutcome.failure(FailureReason.ERROR,
                    trials.getFirst().why()));
        }
    }

    @Test
    void lessonsOfASearchPersistSoTheNextRunAnswersOnItsFirstSearch(@TempDir Path dir) {
        try (JdbcReflectionStore store = JdbcReflectionStore.inWorkspace(dir)) {
            run(store, new CopyOnWriteArrayList<>(), 3);
            List<String> calls = new CopyOnWriteArrayList<>();
            TrialFixtures.Recorded second = run(store, calls, 3);

            assertThat(second.result().status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(second.events(RunEvent.LessonsLoaded.class)).singleElement()
                    .satisfies(l -> assertThat(l.lessons()).containsExactly("step 2: pass the id find_city returned"));
            assertThat(second.events(RunEvent.TrialEnded.class)).extracting(RunEvent.TrialEnded::passed).containsExactly(true);
            assertThat(calls).containsExactly("get_weather{\"city_id\":\"FR-75\"}");
            assertThat(second.requests()).extracting(ModelRequest::action).containsExactly("Forecast");
        }
    }

    @Test
    void withoutTrialsLeftTheSearchFailsNamingTheTaskKey(@TempDir Path dir) {
        try (JdbcReflectionStore store = JdbcReflectionStore.inWorkspace(dir)) {
            TrialFixtures.Recorded o = run(store, new CopyOnWriteArrayList<>(), 1);

            assertThat(o.result().status()).isEqualTo(RunStatus.FAILED);
            assertThat(o.result().error()).get().asString().contains("no trial succeeded within 1 trials")
                    .contains("DFSDT found no answer").contains("weather/agent/forecast/");
            assertThat(o.requests()).extracting(ModelRequest::action).doesNotContain("_reflect");
        }
    }
}
