package dev.troupe.agents.reflection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.troupe.agents.action.Action;
import dev.troupe.agents.action.ActionTool;
import dev.troupe.agents.event.RunEvent;
import dev.troupe.agents.event.RunListener;
import dev.troupe.agents.json.Json;
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

    /** find_city is a read-only lookup; get_weather needs the id find_city returns. */
    private static List<ActionTool> tools(List<String> calls) {
        ActionTool findCity = new ActionTool() {
            @Override
            public ToolSpecification specification() {
                return ToolSpecification.builder().name("find_city").description("Find a city's id by name").build();
            }

            @Override
            public String execute(String args) throws Exception {
                calls.add("find_city" + args);
                return "{\"name\": \"" + Json.MAPPER.readTree(args).path("name").asText() + "\", \"city_id\": \"FR-75\"}";
            }

            @Override
            public boolean readOnly() {
                return true;
            }
        };
        ActionTool weather = new ActionTool() {
            @Override
            public ToolSpecification specification() {
                return ToolSpecification.builder().name("get_weather").description("Weather by city id").build();
            }

            @Override
            public String execute(String args) throws Exception {
                calls.add("get_weather" + args);
                String id = Json.MAPPER.readTree(args).path("city_id").asText();
                return id.equals("FR-75") ? "{\"temp_c\": 18, \"sky\": \"light rain\"}"
                        : "Error: unknown city_id '" + id + "'; use the id from find_city";
            }
        };
        return List.of(findCity, weather);
    }

    private static final String SCRIPT = """
            replies:
              - action: _stage
                when: "temp_c"
                reply: '{"actions": [], "answer": "Paris: 18 C, light rain"}'
              - action: _stage
                when: "Steps so far\\nnone"
                reply: '{"actions": [{"tool": "find_city", "arguments": {"name": "Paris"}}, {"tool": "get_weather", "arguments": {"city_id": "paris"}}]}'
              - action: _stage
                reply: '{"actions": [], "answer": "Paris is sunny"}'
              - action: _reflect
                reply: 'For action index=1, you should get_weather({"city_id": "FR-75"})'
            """;

    private record Outcome(RunResult result, List<RunEvent> events) {}

    private static Outcome run(JdbcReflectionStore store, List<String> calls) {
        List<RunEvent> events = new CopyOnWriteArrayList<>();
        Role agent = Role.builder("Agent").watch(Message.USER_REQUIREMENT)
                .actions(Action.builder("Forecast").instruction("What is the weather in {{requirement}}?")
                        .tools(tools(calls)).reflection(ReflectionSettings.defaults().withMaxTrials(3)).build())
                .build();
        RunResult r = Team.builder("weather").role(agent).model(Fakes.script(SCRIPT)).reflectionStore(store)
                .listener(new RunListener() {
                    @Override
                    public void on(RunEvent e) {
                        events.add(e);
                    }
                }).build().run("Paris");
        return new Outcome(r, events);
    }

    private static <T> List<T> of(List<RunEvent> events, Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void failedTrialIsReflectedOnAndTheNextReplaysForcesTheFixAndSucceeds(@TempDir Path dir) {
        try (JdbcReflectionStore store = JdbcReflectionStore.inWorkspace(dir)) {
            List<String> calls = new CopyOnWriteArrayList<>();
            Outcome o = run(store, calls);

            assertThat(o.result().status()).as(o.result().error().orElse("")).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(o.result().document("Forecast").orElseThrow().content()).isEqualTo("Paris: 18 C, light rain");
            List<RunEvent.TrialEnded> trials = of(o.events(), RunEvent.TrialEnded.class);
            assertThat(trials).extracting(RunEvent.TrialEnded::passed).containsExactly(false, true);
            assertThat(trials.get(0).why()).contains("a tool call failed").contains("step 1");
            assertThat(of(o.events(), RunEvent.Reflected.class)).singleElement()
                    .satisfies(r -> assertThat(r.step()).isEqualTo(1))
                    .satisfies(r -> assertThat(r.correctedAction()).contains("get_weather").contains("FR-75"));
            // Trial 2: step 0 replayed from its cached read-only observation, step 1 forced.
            List<RunEvent.TrialStep> second = of(o.events(), RunEvent.TrialStep.class).stream().filter(s -> s.attempt() == 2).toList();
            assertThat(second).extracting(RunEvent.TrialStep::how)
                    .containsExactly("replayed (read-only, cached observation)", "forced by reflection");
            assertThat(calls).containsExactly("find_city{\"name\":\"Paris\"}", "get_weather{\"city_id\":\"paris\"}",
                    "get_weather{\"city_id\":\"FR-75\"}");
            assertThat(store.load(TaskKey.derive("weather", "Agent", "Forecast", "Paris")).orElseThrow().lessons())
                    .singleElement().satisfies(l -> assertThat(l.stepIndex()).isEqualTo(1));
        }
    }

    @Test
    void theNextRunOfTheSameTaskSucceedsOnItsFirstTrialWithTheStoredLesson(@TempDir Path dir) {
        try (JdbcReflectionStore store = JdbcReflectionStore.inWorkspace(dir)) {
            run(store, new CopyOnWriteArrayList<>());
            List<String> calls = new CopyOnWriteArrayList<>();
            Outcome second = run(store, calls);

            assertThat(second.result().status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(of(second.events(), RunEvent.LessonsLoaded.class)).singleElement()
                    .satisfies(l -> assertThat(l.lessons()).singleElement().asString().contains("step 1"));
            assertThat(of(second.events(), RunEvent.TrialEnded.class)).extracting(RunEvent.TrialEnded::passed).containsExactly(true);
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
                    reply: '{"step": 0, "lesson": "try another id", "corrected_action": {"tool": "get_weather", "arguments": {"city_id": "y"}}}'
                    times: 1
                  - action: _reflect
                    reply: '{"step": 0, "lesson": "try yet another id", "corrected_action": {"tool": "get_weather", "arguments": {"city_id": "z"}}}'
                """;
        try (JdbcReflectionStore store = JdbcReflectionStore.inWorkspace(dir)) {
            List<String> calls = new CopyOnWriteArrayList<>();
            Role agent = Role.builder("Agent").watch(Message.USER_REQUIREMENT)
                    .actions(Action.builder("Forecast").instruction("Weather in {{requirement}}?").tools(tools(calls))
                            .reflection(ReflectionSettings.defaults().withMaxTrials(3)).build())
                    .build();
            RunResult r = Team.builder("weather").role(agent).model(Fakes.script(neverRight)).reflectionStore(store).build().run("Oslo");

            assertThat(r.status()).isEqualTo(RunStatus.FAILED);
            assertThat(r.error()).get().asString().contains("no trial succeeded within 3 trials").contains("weather/agent/forecast/");
            // Each reflection disabled the id that failed at step 0 and forced a new one.
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
