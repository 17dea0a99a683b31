package dev.troupe.agents.planner;

import dev.troupe.agents.planner.internal.ToolBox;
import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.troupe.agents.event.RunEvent;
import dev.troupe.agents.event.RunListener;
import dev.troupe.agents.testing.Fakes;
import dev.troupe.agents.tool.ToolResult;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A failed call is told by the result's kind, never by how its text starts. */
class ToolBoxTest {
    private final List<RunEvent.ToolCall> traced = new CopyOnWriteArrayList<>();
    private final ToolBox tools = new ToolBox(List.of(
            Fakes.tool("quote", "A quotation", true, args -> ToolResult.ok("Errors are the portals of discovery.")),
            Fakes.tool("lookup", "Looks a word up", true, args -> ToolResult.error(ToolResult.ErrorKind.CLIENT_ERROR, "no such word")),
            Fakes.tool("broken", "Always throws", false, args -> {
                throw new IllegalStateException("disk full");
            })), "run-1", "Agent", "Ask", new RunListener() {
                @Override
                public void onToolCall(RunEvent.ToolCall e) {
                    traced.add(e);
                }
            });

    private static ToolExecutionRequest call(String name) {
        return ToolExecutionRequest.builder().id("1").name(name).arguments("{}").build();
    }

    @Test
    void anObservationThatOnlyReadsLikeAnErrorIsASuccess() {
        ToolResult r = tools.run(call("quote"));

        assertThat(r.failed()).isFalse();
        assertThat(r.text()).isEqualTo("Errors are the portals of discovery.");
        assertThat(traced).singleElement().satisfies(e -> assertThat(e.failed()).isFalse());
    }

    @Test
    void aToolsOwnErrorKeepsItsKindAndIsShownWithIt() {
        ToolResult r = tools.run(call("lookup"));

        assertThat(r.error()).contains(ToolResult.ErrorKind.CLIENT_ERROR);
        assertThat(r.text()).isEqualTo("Error (client_error): no such word");
        assertThat(traced).singleElement().satisfies(e -> assertThat(e.failed()).isTrue());
    }

    @Test
    void anUnknownNameAndAThrowingToolAreFailuresOfTheirOwnKinds() {
        assertThat(tools.run(call("horoscope")).error()).contains(ToolResult.ErrorKind.UNKNOWN_TOOL);
        ToolResult thrown = tools.run(call("broken"));
        assertThat(thrown.error()).contains(ToolResult.ErrorKind.TOOL_EXCEPTION);
        assertThat(thrown.text()).isEqualTo("Error: tool 'broken' failed: disk full");
        assertThat(traced).extracting(RunEvent.ToolCall::failed).containsExactly(true, true);
    }
}
