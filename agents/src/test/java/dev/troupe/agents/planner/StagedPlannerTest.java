package dev.troupe.agents.planner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.agents.action.Action;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.model.ModelRequest;
import dev.troupe.agents.model.offline.ScriptedModel;
import dev.troupe.agents.role.Role;
import dev.troupe.agents.team.RunResult;
import dev.troupe.agents.team.RunStatus;
import dev.troupe.agents.team.Team;
import dev.troupe.agents.testing.Fakes;
import dev.troupe.agents.tool.ToolResult;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class StagedPlannerTest {

    @Test
    void aStagedActionRunsItsWholePlanBeforeItAsksAgain() {
        ScriptedModel model = Fakes.script("""
                replies:
                  - action: _stage
                    when: "temp_c"
                    reply: '{"actions": [], "answer": "Paris: 18 C, light rain"}'
                  - action: _stage
                    reply: '{"actions": [{"tool": "find_city", "arguments": {"name": "Paris"}}, {"tool": "get_weather", "arguments": {"city_id": "FR-75"}}]}'
                """);
        List<String> calls = new CopyOnWriteArrayList<>();
        List<String> asked = new CopyOnWriteArrayList<>();
        Role agent = Role.builder("Agent").watch(Message.USER_REQUIREMENT)
                .actions(Action.builder("Forecast").instruction("What is the weather in {{requirement}}?").planner(PlannerKind.STAGED)
                        .tools(List.of(
                                Fakes.tool("find_city", "Find a city's id by name", true, args -> {
                                    calls.add("find_city");
                                    return ToolResult.ok("{\"city_id\": \"FR-75\"}");
                                }),
                                Fakes.tool("get_weather", "Weather by city id", false, args -> {
                                    calls.add("get_weather");
                                    return ToolResult.ok("{\"temp_c\": 18}");
                                })))
                        .build())
                .build();
        RunResult r = Team.builder("weather").role(agent).model(Fakes.backend(model.spec(), (ModelRequest q) -> {
            asked.add(q.action());
            return model.chat(q);
        })).build().run("Paris");

        assertThat(r.status()).as(r.error().orElse("")).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(r.document("Forecast").orElseThrow().content()).isEqualTo("Paris: 18 C, light rain");
        assertThat(calls).containsExactly("find_city", "get_weather");
        assertThat(asked).containsExactly("_stage", "_stage");
    }
}
