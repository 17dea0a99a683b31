package dev.troupe.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.agents.json.internal.Json;
import dev.troupe.agents.json.OutputSchema;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.team.RunResult;
import dev.troupe.agents.team.RunStatus;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * A Troupe team served as an MCP server on stdio: one tool, named after the team, whose {@code idea}
 * argument is the run's requirement and whose result is the run's status, id and final documents
 * (as structured content, and as the same JSON in a text block for clients that read text only).
 */
public final class TeamMcpServer implements AutoCloseable {
    private static final Map<String, Object> INPUT_SCHEMA = Map.of(
            "type", "object",
            "properties", Map.of("idea", Map.of("type", "string", "description", "the requirement the team works on")),
            "required", List.of("idea"));

    private final McpSyncServer server;
    private final CountDownLatch inputEnded;

    private TeamMcpServer(McpSyncServer server, CountDownLatch inputEnded) {
        this.server = server;
        this.inputEnded = inputEnded;
    }

    /**
     * Serves {@code run} as the tool {@code tool} over {@code in}/{@code out} until the client closes
     * its side; each call is one run of the team.
     *
     * @param description what the tool does, for the client's model
     * @param run         runs the team on an idea and returns its result
     */
    public static TeamMcpServer stdio(String tool, String description, Function<String, RunResult> run, InputStream in, OutputStream out) {
        Objects.requireNonNull(run, "run");
        McpJsonMapper mapper = new JacksonMcpJsonMapper(Json.MAPPER);
        McpSchema.Tool spec = McpSchema.Tool.builder().name(tool).description(description).inputSchema(INPUT_SCHEMA).build();
        McpServerFeatures.SyncToolSpecification toolSpec = McpServerFeatures.SyncToolSpecification.builder().tool(spec)
                .callHandler((exchange, request) -> call(run, request)).build();
        CountDownLatch inputEnded = new CountDownLatch(1);
        InputStream watched = new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                return ended(super.read());
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return ended(super.read(b, off, len));
            }

            private int ended(int n) {
                if (n < 0) {
                    inputEnded.countDown();
                }
                return n;
            }
        };
        McpSyncServer server = McpServer.sync(new StdioServerTransportProvider(mapper, watched, out)).jsonMapper(mapper)
                .jsonSchemaValidator(new ProjectSchemaValidator()).serverInfo("troupe", "1").instructions(description)
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build()).tools(toolSpec).build();
        return new TeamMcpServer(server, inputEnded);
    }

    private static McpSchema.CallToolResult call(Function<String, RunResult> run, McpSchema.CallToolRequest request) {
        Object idea = request.arguments() == null ? null : request.arguments().get("idea");
        if (!(idea instanceof String text) || text.isBlank()) {
            return McpSchema.CallToolResult.builder().addTextContent("'idea' must be a non-empty string: the requirement for the team")
                    .isError(true).build();
        }
        RunResult result;
        try {
            result = run.apply(text);
        } catch (RuntimeException e) {
            // A team that cannot run (bad model settings, a tool server that does not start) answers the client, not the log.
            return McpSchema.CallToolResult.builder().addTextContent("the run did not start: " + e.getMessage()).isError(true).build();
        }
        ObjectNode body = outcome(result);
        return McpSchema.CallToolResult.builder().addTextContent(body.toPrettyString())
                .structuredContent(Json.MAPPER.convertValue(body, Map.class)).isError(result.status() != RunStatus.SUCCEEDED).build();
    }

    /** The run as the client sees it: status, id, error, and each action's final documents. */
    static ObjectNode outcome(RunResult result) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("runId", result.runId()).put("status", result.status().name());
        result.error().ifPresent(e -> body.put("error", e));
        ObjectNode documents = body.putObject("documents");
        for (String action : result.documents().keySet()) {
            ArrayNode list = documents.putArray(action);
            for (Message m : result.documents().get(action)) {
                list.addObject().put("sender", m.sender()).put("content", m.content());
            }
        }
        return body;
    }

    /** Waits until the client ends the session (closes stdin). */
    public void awaitClose() throws InterruptedException {
        inputEnded.await();
    }

    @Override
    public void close() {
        server.closeGracefully();
    }

    /** Validates structured content with the project's JSON Schema validator (the SDK's wants another networknt version). */
    private static final class ProjectSchemaValidator implements JsonSchemaValidator {
        @Override
        public ValidationResponse validate(Map<String, Object> schema, Object content) {
            JsonNode node = Json.MAPPER.valueToTree(content);
            List<String> problems = OutputSchema.of(Json.MAPPER.valueToTree(schema), "the tool's output schema").validate(node);
            return problems.isEmpty() ? ValidationResponse.asValid(node.toString())
                    : ValidationResponse.asInvalid(String.join("; ", problems));
        }
    }
}
