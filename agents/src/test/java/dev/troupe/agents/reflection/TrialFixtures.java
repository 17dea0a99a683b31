package dev.troupe.agents.reflection;

import dev.troupe.agents.event.RunEvent;
import dev.troupe.agents.event.RunListener;
import dev.troupe.agents.json.internal.Json;
import dev.troupe.agents.model.ModelRequest;
import dev.troupe.agents.model.offline.ScriptedModel;
import dev.troupe.agents.team.RunResult;
import dev.troupe.agents.team.Team;
import dev.troupe.agents.testing.Fakes;
import dev.troupe.agents.tool.ActionTool;
import dev.troupe.agents.tool.ToolResult;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the reflection tests share: a two-tool weather API and a run that records its events and model requests. */
final class TrialFixtures {
    private TrialFixtures() {}

    /** A run's result with every event and every model request, in order. */
    record Recorded(RunResult result, List<RunEvent> events, List<ModelRequest> requests) {
        <T> List<T> events(Class<T> type) {
            return events.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    /** find_city is a read-only lookup; get_weather needs the id find_city returns. Both log their calls to {@code calls}. */
    static List<ActionTool> weatherTools(List<String> calls) {
        ActionTool findCity = Fakes.tool("find_city", "Find a city's id by name", true, args -> {
            calls.add("find_city" + args);
            return ToolResult.ok("{\"name\": \"" + Json.MAPPER.readTree(args).path("name").asText() + "\", \"city_id\": \"FR-75\"}");
        });
        ActionTool weather = Fakes.tool("get_weather", "Weather by city id", false, args -> {
            calls.add("get_weather" + args);
            String id = Json.MAPPER.readTree(args).path("city_id").asText();
            return id.equals("FR-75") ? ToolResult.ok("{\"temp_c\": 18, \"sky\": \"light rain\"}")
                    : new ToolResult("Error: unknown city_id '" + id + "'; use the id from find_city",
                            Optional.of(ToolResult.ErrorKind.BAD_ARGUMENTS));
        });
        return List.of(findCity, weather);
    }

    /** Runs {@code team} (roles, store, workspace set) on {@code model} for {@code requirement}, recording everything. */
    static Recorded run(Team.Builder team, ScriptedModel model, String requirement) {
        List<RunEvent> events = new CopyOnWriteArrayList<>();
        List<ModelRequest> requests = new CopyOnWriteArrayList<>();
        RunResult r = team.model(Fakes.backend(model.spec(), q -> {
                    requests.add(q);
                    return model.chat(q);
                }))
                .listener(new RunListener() {
                    @Override
                    public void on(RunEvent e) {
                        events.add(e);
                    }
                }).build().run(requirement);
        return new Recorded(r, events, requests);
    }
}
