package dev.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.troupe.agents.json.internal.Json;
import dev.troupe.agents.tool.ToolResult;
import dev.troupe.mcp.McpConnection;
import dev.troupe.mcp.McpServersOnDisk;
import dev.troupe.mcp.McpSettings;
import dev.troupe.roles.TeamLoader;
import dev.troupe.roles.tools.McpServerDefinition;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code troupe mcp serve} answers real MCP clients: the MCP Inspector's CLI mode and LangChain4j's client. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class McpServeCommandTest {
    private static final String DEMO_IDEA = TeamLoader.load("demo").idea().orElseThrow();

    @TempDir
    Path workspace;

    /** The CLI in a JVM of its own, on the team's offline script whatever the environment says about models. */
    private List<String> serve() {
        String java = ProcessHandle.current().info().command().orElse("java");
        return List.of("env", "-u", "OPENAI_API_KEY", "-u", "OPENAI_BASE_URL", "-u", "OLLAMA_BASE_URL", java,
                "-cp", System.getProperty("java.class.path"), TroupeCli.class.getName(), "mcp", "serve", "demo",
                "--workspace", workspace.toString());
    }

    private JsonNode inspector(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(McpServersOnDisk.inspector().toString(), "--cli"));
        command.addAll(serve());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return Json.MAPPER.readTree(out);
    }

    @Test
    void theMcpInspectorListsTheTeamsToolAndCallsItGettingTheRunsDocuments() throws Exception {
        JsonNode tools = inspector("--method", "tools/list");
        assertThat(tools.path("tools")).singleElement().satisfies(t -> {
            assertThat(t.path("name").asText()).isEqualTo("demo");
            assertThat(t.path("inputSchema").path("required").toString()).contains("idea");
        });

        JsonNode called = inspector("--method", "tools/call", "--tool-name", "demo", "--tool-arg", "idea=" + DEMO_IDEA);
        assertThat(called.path("isError").asBoolean(false)).as(called.toString()).isFalse();
        JsonNode run = called.path("structuredContent");
        assertThat(run.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(run.path("runId").asText()).isNotBlank();
        assertThat(run.path("documents").path("WritePRD").get(0).path("content").asText()).contains("Terminal Snake");
        assertThat(run.path("documents").path("ReviewPlan").get(0).path("content").asText()).startsWith("GO.");
    }

    @Test
    void langChain4jsMcpClientCallsTheTeamAndAWrongArgumentIsAToolError() throws Exception {
        McpServerDefinition troupe = new McpServerDefinition("troupe", ImmutableList.copyOf(serve()), Optional.empty(),
                ImmutableMap.of(), ImmutableMap.of(), "test");
        try (McpConnection c = McpConnection.start(troupe, new McpSettings(Duration.ofSeconds(60), Duration.ofSeconds(90), 0))) {
            assertThat(c.tools()).extracting(ToolSpecification::name).containsExactly("demo");

            ToolResult ok = c.call("demo", Json.MAPPER.createObjectNode().put("idea", DEMO_IDEA).toString());
            assertThat(ok.failed()).as(ok.text()).isFalse();
            JsonNode run = Json.MAPPER.readTree(ok.text());
            assertThat(run.path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(run.path("documents").path("WritePRD").get(0).path("content").asText()).contains("Terminal Snake");

            ToolResult missing = c.call("demo", "{}");
            assertThat(missing.error()).contains(ToolResult.ErrorKind.TOOL_EXCEPTION);
            assertThat(missing.text()).contains("required property 'idea'");

            ToolResult blank = c.call("demo", "{\"idea\": \" \"}");
            assertThat(blank.error()).contains(ToolResult.ErrorKind.TOOL_EXCEPTION);
            assertThat(blank.text()).contains("'idea' must be a non-empty string");
        }
    }
}
