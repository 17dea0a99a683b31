package dev.troupe.agents.action.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableList;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.troupe.agents.json.internal.Json;
import dev.troupe.agents.tool.ActionTool;
import dev.troupe.agents.tool.ToolResult;
import dev.troupe.memory.reflection.Step;
import dev.troupe.memory.reflection.StepStatus;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tool a reflective action that writes files plans with: one {@code write_file} call per file,
 * so a reflection can name the file that was wrong. Writing is a side effect, so a replayed step
 * writes its file again.
 */
final class WorkspaceFileTool implements ActionTool {
    static final String NAME = "write_file";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ToolSpecification SPEC = ToolSpecification.builder()
            .name(NAME)
            .description("Write one file of the workspace with its full content (a relative path; an existing file is replaced).")
            .parameters(JsonObjectSchema.builder()
                    .addStringProperty("path", "The file's path relative to the workspace, e.g. pkg/module.py")
                    .addStringProperty("content", "The file's complete content")
                    .required("path", "content")
                    .build())
            .build();

    private final Path workspace;

    WorkspaceFileTool(Path workspace) {
        this.workspace = workspace;
    }

    @Override
    public ToolSpecification specification() {
        return SPEC;
    }

    @Override
    public ToolResult execute(String argumentsJson) throws Exception {
        JsonNode args = Json.MAPPER.readTree(argumentsJson);
        ObjectNode payload = F.objectNode();
        payload.putArray("files").add(args);
        ImmutableList<String> problems = WorkspaceFiles.problems(payload);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems) + "; call write_file with {\"path\": …, \"content\": …}");
        }
        String path = WorkspaceFiles.write(payload, workspace).getFirst();
        return ToolResult.ok("wrote " + path + " (" + args.path("content").asText().lines().count() + " lines)");
    }

    /**
     * The files a trial left in the workspace, as an action payload {@code {"files": [{path, content}]}}:
     * each path once, in the order first written, with the content its last successful write gave it.
     */
    static ObjectNode filesWritten(List<Step> steps) {
        Map<String, String> files = new LinkedHashMap<>();
        for (Step s : steps) {
            if (s.action().name().equals(NAME) && s.status() == StepStatus.OK) {
                JsonNode args = s.action().arguments();
                files.put(args.path("path").asText(), args.path("content").asText());
            }
        }
        ObjectNode payload = F.objectNode();
        var list = payload.putArray("files");
        files.forEach((path, content) -> list.addObject().put("path", path).put("content", content));
        return payload;
    }
}
