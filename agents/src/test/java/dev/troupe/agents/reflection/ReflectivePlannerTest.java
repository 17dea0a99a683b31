package dev.troupe.agents.reflection;

import dev.troupe.agents.reflection.internal.ReflectionScope;
import dev.troupe.agents.reflection.internal.ReflectivePlanner;
import static dev.troupe.agents.reflection.TrialFixtures.weatherTools;
import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.troupe.agents.event.RunEvent;
import dev.troupe.agents.event.RunListener;
import dev.troupe.agents.model.internal.ModelGateway;
import dev.troupe.agents.model.RetryPolicy;
import dev.troupe.agents.model.offline.ScriptedModel;
import dev.troupe.agents.planner.internal.Attempt;
import dev.troupe.agents.planner.internal.PlannerContext;
import dev.troupe.agents.planner.internal.ReactPlanner;
import dev.troupe.agents.planner.internal.ToolBox;
import dev.troupe.agents.testing.Fakes;
import dev.troupe.memory.reflection.TaskKey;
import dev.troupe.memory.reflection.store.JdbcReflectionStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Structured reflection is a decorator: the same trials, judge and lessons around a planner that is not staged. */
class ReflectivePlannerTest {

    private static final String REACT_SCRIPT = """
            replies:
              - action: Forecast
                when: "temp_c"
                reply: "Paris: 18 C, light rain"
              - action: Forecast
                when: "unknown city_id"
                reply: "Paris is sunny"
              - action: Forecast
                when: "FR-75"
                toolCalls: [{name: get_weather, arguments: {city_id: paris}}]
              - action: Forecast
                toolCalls: [{name: find_city, arguments: {name: Paris}}]
              - action: _reflect
                reply: 'For action index=2, you should get_weather({"city_id": "FR-75"})'
            """;

    @Test
    void aReactChainRunsAsTrialsThatReplayTheStepsBeforeTheCriticalOneAndForceItsCorrection(@TempDir Path dir) {
        List<String> calls = new CopyOnWriteArrayList<>();
        List<RunEvent> events = new CopyOnWriteArrayList<>();
        RunListener listener = new RunListener() {
            @Override
            public void on(RunEvent e) {
                events.add(e);
            }
        };
        ScriptedModel model = Fakes.script(REACT_SCRIPT);
        ModelGateway gateway = ModelGateway.builder().retryPolicy(RetryPolicy.none()).build();
        PlannerContext ctx = new PlannerContext("run-1", "Agent", "Forecast", model, gateway, listener,
                new ToolBox(weatherTools(calls), "run-1", "Agent", "Forecast", listener), Optional.empty(), new AtomicInteger());
        try (JdbcReflectionStore store = JdbcReflectionStore.inWorkspace(dir)) {
            ReflectivePlanner planner = new ReflectivePlanner(new ReactPlanner(ctx, 8), ctx, ReflectionSettings.defaults(),
                    new ReflectionScope(store, "weather", "Paris", Optional.empty()), Optional.empty());

            Attempt attempt = planner.attempt(List.of(SystemMessage.from("You forecast the weather."),
                    UserMessage.from("What is the weather in Paris?")), Optional.empty());

            assertThat(attempt).isInstanceOfSatisfying(Attempt.Answered.class,
                    a -> assertThat(a.answer()).isEqualTo("Paris: 18 C, light rain"));
            assertThat(events).filteredOn(RunEvent.TrialEnded.class::isInstance).map(RunEvent.TrialEnded.class::cast)
                    .extracting(RunEvent.TrialEnded::passed).containsExactly(false, true);
            // Trial 2 replayed find_city from its cached read-only observation and ran only the forced call.
            assertThat(calls).containsExactly("find_city{\"name\":\"Paris\"}", "get_weather{\"city_id\":\"paris\"}",
                    "get_weather{\"city_id\":\"FR-75\"}");
            assertThat(store.load(TaskKey.derive("weather", "Agent", "Forecast", "Paris")).orElseThrow().lessons())
                    .singleElement().satisfies(l -> assertThat(l.stepIndex()).isEqualTo(1));
        }
    }
}
