package dev.troupe.agents.reflection;

import dev.troupe.agents.reflection.internal.Reflector;
import static dev.troupe.agents.reflection.TrialFixtures.weatherTools;
import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.agents.action.Action;
import dev.troupe.agents.event.RunEvent;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.role.Role;
import dev.troupe.agents.team.RunResult;
import dev.troupe.agents.team.RunStatus;
import dev.troupe.agents.team.Team;
import dev.troupe.agents.testing.Fakes;
import dev.troupe.memory.reflection.TaskKey;
import dev.troupe.memory.reflection.store.JdbcReflectionStore;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReflectiveLoopTest {

    private static final String SCRIPT = Fakes.REFLECTIVE_WEATHER;


    private static TrialFixtures.Recorded run(JdbcReflectionStore store, List<String> calls) {
        Role agent = Role.builder("Agent").watch(Message.USER_REQUIREMENT)
                .actions(Action.builder("Forecast").instruction("What is the weather in {{requirement}}?")
                        .tools(weatherTools(calls)).reflection(ReflectionSettings.defaults().withMaxTrials(3)).build())
                .build();
        return TrialFixtures.run(Team.builder("weather").role(agent).reflectionStore(store), Fakes.script(SCRIPT), "Paris");
    }

    @Test
    void failedTrialIsReflectedOnAndTheNextReplaysForcesTheFixAndSucceeds(@TempDir Path dir) {
        try (JdbcReflectionStore store = JdbcReflectionStore.inWorkspace(dir)) {
            List<String> calls = new CopyOnWriteArrayList<>();
            TrialFixtures.Recorded o = run(store, calls);

            assertThat(o.result().status()).as(o.result().error().orElse("")).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(o.result().document("Forecast").orElseThrow().content()).isEqualTo("Paris: 18 C, light rain");
            List<RunEvent.TrialEnded> trials = o.events(RunEvent.TrialEnded.class);
            assertThat(trials).extracting(RunEvent.TrialEnded::passed).containsExactly(false, true);
            assertThat(trials.get(0).why()).contains("a tool call failed").contains("step 2");
            assertThat(o.events(RunEvent.Reflected.class)).singleElement()
                    .satisfies(r -> assertThat(r.step()).as("numbered from 1, as the model saw it").isEqualTo(2))
                    .satisfies(r -> assertThat(r.correctedAction()).contains("get_weather").contains("FR-75"));
            // Trial 2: step 1 replayed from its cached read-only observation, step 2 forced.
            List<RunEvent.TrialStep> second = o.events(RunEvent.TrialStep.class).stream().filter(s -> s.attempt() == 2).toList();
            assertThat(second).extracting(RunEvent.TrialStep::how)
                    .containsExactly("replayed (read-only, cached observation)", "forced by reflection");
            assertThat(calls).containsExactly("find_city{\"name\":\"Paris\"}", "get_weather{\"city_id\":\"paris\"}",
                    "get_weather{\"city_id\":\"FR-75\"}");
            assertThat(store.load(TaskKey.derive("weather", "Agent", "Forecast", "Paris")).orElseThrow().lessons())
                    .singleElement().satisfies(l -> assertThat(l.stepIndex()).as("stored from 0").isEqualTo(1));
        }
    }

    @Test
    void theNextRunOfTheSameTaskSucceedsOnItsFirstTrialWithTheStoredLesson(@TempDir Path dir) {
        try (JdbcReflectionStore store = JdbcReflectionStore.inWorkspace(dir)) {
            run(store, new CopyOnWriteArrayList<>());
            List<String> calls = new CopyOnWriteArrayList<>();
            TrialFixtures.Recorded second = run(store, calls);

            assertThat(second.result().status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(second.events(RunEvent.LessonsLoaded.class)).singleElement()
                    .satisfies(l -> assertThat(l.lessons()).singleElement().asString().contains("step 2"));
            assertThat(second.events(RunEvent.TrialEnded.class)).extracting(RunEvent.TrialEnded::passed).containsExactly(true);
            assertThat(calls).containsExactly("get_weather{\"city_id\":\"FR-75\"}");
        }
    }

    @Test
    void trialsAreCappedAndTheFailureNamesTheTaskKey(@TempDir Path dir) {
        String neverRight = """
                replies:
                  - action: _stage
                    when: "Steps so far\\nnone"
                    reply: '{"actions": [{"tool": "get_weather", "arguments": {"city_id": "x"}}]}'
                  - action: _stage
                    reply: '{"actions": [], "answer": "no idea"}'
                  - action: _reflect
                    reply: '{"step": 1, "lesson": "try another id", "corrected_action": {"tool": "get_weather", "arguments": {"city_id": "y"}}}'
                    times: 1
                  - action: _reflect
                    reply: '{"step": 1, "lesson": "try yet another id", "corrected_action": {"tool": "get_weather", "arguments": {"city_id": "z"}}}'
                """;
        try (JdbcReflectionStore store = JdbcReflectionStore.inWorkspace(dir)) {
            List<String> calls = new CopyOnWriteArrayList<>();
            Role agent = Role.builder("Agent").watch(Message.USER_REQUIREMENT)
                    .actions(Action.builder("Forecast").instruction("Weather in {{requirement}}?").tools(weatherTools(calls))
                            .reflection(ReflectionSettings.defaults().withMaxTrials(3)).build())
                    .build();
            RunResult r = Team.builder("weather").role(agent).model(Fakes.script(neverRight)).reflectionStore(store).build().run("Oslo");

            assertThat(r.status()).isEqualTo(RunStatus.FAILED);
            assertThat(r.error()).get().asString().contains("no trial succeeded within 3 trials").contains("weather/agent/forecast/");
            // Each reflection disabled the id that failed at step 1 and forced a new one.
            assertThat(calls).containsExactly("get_weather{\"city_id\":\"x\"}", "get_weather{\"city_id\":\"y\"}",
                    "get_weather{\"city_id\":\"z\"}");
        }
    }

    @Test
    void paperFormReflectionsAreUnderstood() {
        assertThat(Reflector.paperForm("For action index=2, you should search_flights({\"from\": \"PAR\"})")).get()
                .satisfies(j -> assertThat(j.path("step").asInt()).isEqualTo(2))
                .satisfies(j -> assertThat(j.path("corrected_action").path("tool").asText()).isEqualTo("search_flights"))
                .satisfies(j -> assertThat(j.path("corrected_action").path("arguments").path("from").asText()).isEqualTo("PAR"));
        assertThat(Reflector.paperForm("I think step 2 was wrong")).isEmpty();
    }
}
