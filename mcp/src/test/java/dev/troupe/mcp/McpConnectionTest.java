package dev.troupe.mcp;

import static dev.troupe.mcp.McpServersOnDisk.script;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.troupe.agents.error.ConfigurationException;
import dev.troupe.agents.tool.ToolResult;
import dev.troupe.agents.tool.ToolResult.ErrorKind;
import dev.troupe.roles.tools.McpServerDefinition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** One connection to a real MCP server from npm: listing, calling, and every failure as an error result. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class McpConnectionTest {
    private static final McpSettings QUICK = new McpSettings(Duration.ofSeconds(30), Duration.ofSeconds(5), 1);

    @TempDir
    Path dir;

    private static McpServerDefinition stdio(String name, List<String> command) {
        return new McpServerDefinition(name, ImmutableList.copyOf(command), Optional.empty(), ImmutableMap.of(), ImmutableMap.of(), "team.yaml:3:7");
    }

    private static McpServerDefinition everything() {
        return stdio("demo", List.of("node", script("server-everything").toString(), "stdio"));
    }

    @Test
    void listsTheEverythingServersToolsWithTheirSchemasAndCallsEchoAndGetSum() {
        try (McpConnection c = McpConnection.start(everything(), QUICK)) {
            assertThat(c.tools()).extracting(ToolSpecification::name).contains("echo", "get-sum", "trigger-long-running-operation");
            ToolSpecification sum = c.tools().stream().filter(t -> t.name().equals("get-sum")).findFirst().orElseThrow();
            assertThat(sum.parameters().properties()).containsKeys("a", "b");

            assertThat(c.call("echo", "{\"message\":\"hello mcp\"}")).satisfies(r -> {
                assertThat(r.failed()).isFalse();
                assertThat(r.text()).contains("hello mcp");
            });
            assertThat(c.call("get-sum", "{\"a\":2,\"b\":40}").text()).contains("42");
        }
    }

    @Test
    void aCallLongerThanTheCallTimeoutIsATimeoutObservation() {
        try (McpConnection c = McpConnection.start(everything(), QUICK)) {
            ToolResult r = c.call("trigger-long-running-operation", "{\"duration\":30,\"steps\":3}");

            assertThat(r.error()).contains(ErrorKind.TIMEOUT);
            assertThat(r.text()).contains("'demo'").contains("within 5s");
            // The server is alive, so the next call is answered by the same process.
            assertThat(c.call("echo", "{\"message\":\"still here\"}").text()).contains("still here");
        }
    }

    @Test
    void anUnknownToolOrBadArgumentsAreErrorObservationsWithAKind() {
        try (McpConnection c = McpConnection.start(everything(), QUICK)) {
            assertThat(c.call("no-such-tool", "{}").failed()).isTrue();
            assertThat(c.call("get-sum", "{\"a\":\"two\"}").failed()).isTrue();
            assertThat(c.call("echo", "not json").error()).contains(ErrorKind.BAD_ARGUMENTS);
        }
    }

    @Test
    void aToolThatAnswersIsErrorIsAToolExceptionObservationWithTheServersMessage() {
        McpServerDefinition files = stdio("files", List.of("node", script("server-filesystem").toString(), dir.toString()));
        try (McpConnection c = McpConnection.start(files, QUICK)) {
            ToolResult r = c.call("read_text_file", "{\"path\":" + McpServersOnDisk.quoted(dir.resolve("missing.txt")) + "}");

            assertThat(r.error()).as(r.text()).contains(ErrorKind.TOOL_EXCEPTION);
            assertThat(r.text()).contains("ENOENT");
        }
    }

    @Test
    void aServerKilledMidRunIsATransportErrorThenStartsAgainForTheNextCall() {
        try (McpConnection c = McpConnection.start(everything(), QUICK)) {
            assertThat(c.call("echo", "{\"message\":\"one\"}").failed()).isFalse();
            ProcessHandle server = ProcessHandle.current().descendants().filter(p -> p.info().commandLine().orElse("").contains("server-everything"))
                    .findFirst().orElseThrow();
            server.destroyForcibly();
            server.onExit().join();

            ToolResult lost = c.call("echo", "{\"message\":\"two\"}");
            assertThat(lost.error()).hasValueSatisfying(k -> assertThat(k).isIn(ErrorKind.TRANSPORT_ERROR, ErrorKind.TIMEOUT));

            assertThat(c.call("echo", "{\"message\":\"three\"}").text()).contains("three");
        }
    }

    @Test
    void aServerThatNeverAnswersInitializeIsAConfigurationErrorNamingIt() {
        // `sleep` reads nothing and never answers the initialize request.
        McpServerDefinition mute = stdio("mute", List.of("sleep", "600"));
        McpSettings settings = new McpSettings(Duration.ofSeconds(2), Duration.ofSeconds(2), 0);

        assertThatThrownBy(() -> McpConnection.start(mute, settings)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("MCP server 'mute' (team.yaml:3:7) did not start").hasMessageContaining("'sleep 600'")
                .hasMessageContaining("within 2s");
        assertThat(ProcessHandle.current().descendants().filter(p -> p.info().commandLine().orElse("").contains("sleep 600")))
                .allSatisfy(p -> assertThat(p.onExit()).succeedsWithin(Duration.ofSeconds(10)));
    }

    @Test
    void aCommandThatDoesNotExistIsAConfigurationErrorNamingTheServer() {
        McpServerDefinition missing = stdio("ghost", List.of("no-such-mcp-server-program"));

        assertThatThrownBy(() -> McpConnection.start(missing, QUICK)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("MCP server 'ghost'").hasMessageContaining("no-such-mcp-server-program");
    }
}
