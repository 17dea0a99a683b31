package dev.troupe.agents.action;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.troupe.agents.event.RunEvent;
import dev.troupe.agents.event.RunListener;
import dev.troupe.agents.json.internal.Json;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.model.ModelBackend;
import dev.troupe.agents.model.RetryPolicy;
import dev.troupe.agents.role.Role;
import dev.troupe.agents.team.RunResult;
import dev.troupe.agents.team.RunStatus;
import dev.troupe.agents.team.Team;
import dev.troupe.agents.testing.Fakes;
import dev.troupe.agents.testing.RecordingBackend;
import dev.troupe.agents.tool.ActionTool;
import dev.troupe.agents.tool.ToolResult;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

class ActionToolTest {
    private final List<String> weatherCalls = new CopyOnWriteArrayList<>();
    private final List<RunEvent.ToolCall> toolEvents = new CopyOnWriteArrayList<>();

    private final ActionTool weather = new ActionTool() {
        @Override
        public ToolSpecification specification() {
            return ToolSpecification.builder().name("weather").description("Current weather in a city").build();
        }

        @Override
        public ToolResult execute(String argumentsJson) throws Exception {
            weatherCalls.add(argumentsJson);
            String city = Json.MAPPER.readTree(argumentsJson).path("city").asText();
            if (city.isEmpty()) {
                throw new IllegalArgumentException("city is required");
            }
            if (city.equals("Atlantis")) {
                return ToolResult.error(ToolResult.ErrorKind.CLIENT_ERROR, "no city named Atlantis");
            }
            return ToolResult.ok("21 degrees in " + city);
        }
    };

    private RunResult run(ModelBackend model, int maxToolCalls) {
        return Team.builder("t")
                .role(Role.builder("Assistant").watch(Message.USER_REQUIREMENT)
                        .actions(Action.builder("Forecast").instruction("Answer {{requirement}}")
                                .tools(List.of(weather)).maxToolCalls(maxToolCalls).build())
                        .build())
                .model(model)
                .retryPolicy(RetryPolicy.none())
                .listener(new RunListener() {
                    @Override
                    public void onToolCall(RunEvent.ToolCall e) {
                        toolEvents.add(e);
                    }
                })
                .build()
                .run("weather in Paris?");
    }

    @Test
    void scriptedToolCallRunsTheToolAndItsResultReachesTheNextPrompt() {
        RecordingBackend model = new RecordingBackend(Fakes.script("""
                replies:
                  - {action: Forecast, when: "21 degrees in Paris", reply: "It is 21 degrees in Paris."}
                  - action: Forecast
                    toolCalls:
                      - {name: weather, arguments: {city: Paris}}
                """));

        RunResult result = run(model, 8);

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(weatherCalls).singleElement().satisfies(a -> assertThat(Fakes.json(a)).isEqualTo(Fakes.json("{\"city\":\"Paris\"}")));
        assertThat(result.document("Forecast")).get().extracting(Message::content).isEqualTo("It is 21 degrees in Paris.");
        assertThat(result.documents().get("Forecast")).hasSize(1);
        assertThat(model.calls()).isEqualTo(2);
        assertThat(model.requests().getFirst().chatRequest().toolSpecifications())
                .extracting(ToolSpecification::name).containsExactly("weather", "Finish");
        var second = model.requests().get(1).chatRequest().messages();
        assertThat(second.getLast()).isInstanceOfSatisfying(ToolExecutionResultMessage.class, m -> {
            assertThat(m.toolName()).isEqualTo("weather");
            assertThat(m.text()).isEqualTo("21 degrees in Paris");
        });
        assertThat(toolEvents).singleElement().satisfies(e -> {
            assertThat(e.tool()).isEqualTo("weather");
            assertThat(e.failed()).isFalse();
            assertThat(e.role()).isEqualTo("Assistant");
            assertThat(e.result()).isEqualTo("21 degrees in Paris");
        });
    }

    @Test
    void unknownToolNameBecomesAnErrorObservationNotACall() {
        RecordingBackend model = new RecordingBackend(Fakes.script("""
                replies:
                  - {action: Forecast, when: "no tool named 'horoscope'", reply: "I only know the weather."}
                  - action: Forecast
                    toolCalls:
                      - {name: horoscope, arguments: {sign: leo}}
                """));

        RunResult result = run(model, 8);

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(weatherCalls).isEmpty();
        assertThat(model.prompts("Forecast").get(1))
                .contains("Error: there is no tool named 'horoscope'. Available tools: weather, Finish.");
        assertThat(result.document("Forecast")).get().extracting(Message::content).isEqualTo("I only know the weather.");
        assertThat(toolEvents).singleElement().satisfies(e -> {
            assertThat(e.tool()).isEqualTo("horoscope");
            assertThat(e.failed()).isTrue();
        });
    }

    @Test
    void aToolThatReportsAnErrorIsAFailedCallWhoseObservationTheModelReads() {
        RecordingBackend model = new RecordingBackend(Fakes.script("""
                replies:
                  - {action: Forecast, when: "no city named Atlantis", reply: "Atlantis is not on the map."}
                  - action: Forecast
                    toolCalls:
                      - {name: weather, arguments: {city: Atlantis}}
                """));

        RunResult result = run(model, 8);

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(model.prompts("Forecast").get(1)).contains("Error (client_error): no city named Atlantis");
        assertThat(toolEvents).singleElement().satisfies(e -> assertThat(e.failed()).isTrue());
    }

    @Test
    void toolThatThrowsBecomesAnErrorObservation() {
        RecordingBackend model = new RecordingBackend(Fakes.script("""
                replies:
                  - {action: Forecast, when: "failed: city is required", reply: "Which city?"}
                  - action: Forecast
                    toolCalls:
                      - {name: weather, arguments: {}}
                """));

        RunResult result = run(model, 8);

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(weatherCalls).hasSize(1);
        assertThat(model.prompts("Forecast").get(1)).contains("Error: tool 'weather' failed: city is required");
        assertThat(toolEvents).singleElement().satisfies(e -> assertThat(e.failed()).isTrue());
    }

    @Test
    void modelThatKeepsCallingToolsFailsPastTheCap() {
        RecordingBackend model = new RecordingBackend(Fakes.script("""
                replies:
                  - action: Forecast
                    toolCalls:
                      - {name: weather, arguments: {city: Paris}}
                """));

        RunResult result = run(model, 2);

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(weatherCalls).hasSize(2);
        assertThat(model.calls()).isEqualTo(3);
        assertThat(result.error()).get().asString()
                .contains("Role 'Assistant', action 'Forecast'")
                .contains("past the cap of 2 calls");
    }
}
