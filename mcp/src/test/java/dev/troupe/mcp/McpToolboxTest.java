package dev.troupe.mcp;

import static dev.troupe.mcp.McpServersOnDisk.script;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.troupe.agents.error.ConfigurationException;
import dev.troupe.agents.tool.ActionTool;
import dev.troupe.agents.tool.ToolProvider;
import dev.troupe.roles.tools.McpServerDefinition;
import dev.troupe.roles.tools.McpToolsDefinition;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The tools of several real MCP servers as one role's tool box: all, allow-listed, retrieved, or renamed on a clash. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class McpToolboxTest {
    private static final McpSettings QUICK = new McpSettings(Duration.ofSeconds(30), Duration.ofSeconds(10), 1);

    @TempDir
    Path dir;

    private McpServerDefinition files(String name) {
        return new McpServerDefinition(name, ImmutableList.of("node", script("server-filesystem").toString(), dir.toString()),
                Optional.empty(), ImmutableMap.of(), ImmutableMap.of(), "team.yaml:9:11");
    }

    private static McpServerDefinition everything() {
        return new McpServerDefinition("demo", ImmutableList.of("node", script("server-everything").toString(), "stdio"),
                Optional.empty(), ImmutableMap.of(), ImmutableMap.of(), "team.yaml:12:11");
    }

    private static McpToolbox toolbox(List<McpServerDefinition> servers, List<String> names, int retrieve) {
        return toolbox(servers, names, retrieve, List.of());
    }

    private static McpToolbox toolbox(List<McpServerDefinition> servers, List<String> names, int retrieve, List<String> allowHosts) {
        return new McpToolbox(new McpToolsDefinition(ImmutableList.copyOf(servers), ImmutableList.copyOf(names), retrieve, ImmutableList.of(),
                ImmutableList.copyOf(allowHosts)), QUICK);
    }

    private static List<String> names(List<ActionTool> tools) {
        return tools.stream().map(ActionTool::name).toList();
    }

    @Test
    void retrievalPicksTheRightToolAmongBothServersToolsForEachRequest() {
        try (McpToolbox box = toolbox(List.of(files("files"), everything()), List.of(), 3)) {
            assertThat(box.tools().size()).isGreaterThan(20);

            ToolProvider.Choice sum = box.choose("Add the two numbers 17 and 25 and tell me their sum");
            assertThat(sum.tools()).hasSizeLessThanOrEqualTo(3);
            assertThat(names(sum.tools()).get(0)).isEqualTo("get-sum");
            assertThat(sum.how()).contains("top 3 of " + box.tools().size() + " MCP tools");

            ToolProvider.Choice write = box.choose("Create a new file or overwrite an existing file with this content");
            assertThat(names(write.tools())).contains("write_file").doesNotContain("get-sum");
        }
    }

    @Test
    void toolsOfTheSameNameOnTwoServersArePrefixedWithTheirServersName() throws Exception {
        try (McpToolbox box = toolbox(List.of(files("notes"), files("drafts")), List.of("notes_write_file", "drafts_read_text_file"), 0)) {
            assertThat(names(box.tools())).containsExactly("notes_write_file", "drafts_read_text_file");

            ActionTool write = box.tools().get(0);
            assertThat(write.execute("{\"path\":" + McpServersOnDisk.quoted(dir.resolve("n.txt")) + ",\"content\":\"x\"}").text())
                    .contains("Successfully wrote");
            assertThat(dir.resolve("n.txt")).content().isEqualTo("x");
        }
    }

    @Test
    void toolsTheServerMarksReadOnlyReplayUnderReflectionAndOthersDoNot() {
        try (McpToolbox box = toolbox(List.of(files("files")), List.of("read_text_file", "write_file"), 0)) {
            assertThat(box.tools()).filteredOn(ActionTool::readOnly).extracting(ActionTool::name).containsExactly("read_text_file");
        }
    }

    @Test
    void aNameTheServersDoNotOfferIsAConfigurationErrorListingTheirTools() {
        try (McpToolbox box = toolbox(List.of(files("files")), List.of("read_file", "delete_everything"), 0)) {
            assertThatThrownBy(box::start).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("[delete_everything]").hasMessageContaining("team.yaml:9:11").hasMessageContaining("write_file");
        }
    }

    @Test
    void callsTheEverythingServerOverStreamableHttpOnceItsLoopbackHostIsAllowed() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder("node", script("server-everything").toString(), "streamableHttp").redirectErrorStream(true);
        pb.environment().put("PORT", Integer.toString(port));
        Process server = pb.start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.contains("listening on port")) {
                // wait until the server says it listens
            }
            McpServerDefinition http = new McpServerDefinition("kb", ImmutableList.of(), Optional.of("http://127.0.0.1:" + port + "/mcp"),
                    ImmutableMap.of(), ImmutableMap.of("X-Troupe", "test"), "team.yaml:15:11");
            try (McpToolbox refused = toolbox(List.of(http), List.of(), 0)) {
                assertThatThrownBy(refused::start).isInstanceOf(ConfigurationException.class)
                        .hasMessageContaining("MCP server 'kb' (team.yaml:15:11) is refused").hasMessageContaining("loopback")
                        .hasMessageContaining("add '127.0.0.1' to 'allowHosts:'");
            }
            try (McpToolbox box = toolbox(List.of(http), List.of("echo", "get-sum"), 0, List.of("127.0.0.1"))) {
                assertThat(box.start()).singleElement().satisfies(s -> {
                    assertThat(s.server()).isEqualTo("kb");
                    assertThat(s.tools()).isGreaterThan(2);
                });
                ActionTool sum = box.tools().stream().filter(t -> t.name().equals("get-sum")).findFirst().orElseThrow();
                assertThat(sum.execute("{\"a\":1.5,\"b\":2}").text()).contains("3.5");
            }
        } finally {
            server.descendants().forEach(ProcessHandle::destroy);
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
