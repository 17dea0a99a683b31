package dev.troupe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.agents.action.Action;
import dev.troupe.agents.error.TroupeException;
import dev.troupe.agents.json.internal.Json;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.role.Role;
import dev.troupe.agents.team.RunResult;
import dev.troupe.core.security.Redactor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * Leaves the run's documents in the workspace's {@code docs/} folder, the latest of each action:
 * Markdown as {@code <Action>.md}, a JSON payload as {@code <Action>.json}, and the files an action
 * wrote under {@code <Action>/} beside an index {@code <Action>.json} of their paths.
 */
final class WorkspaceDocuments {
    private WorkspaceDocuments() {}

    /** What one action's document is, which decides how the docs folder, the report and {@code runs show} present it. */
    sealed interface Document {
        /** Text from the model, read as Markdown. */
        record Markdown(String text) implements Document {}

        /** A JSON payload. */
        record Payload(JsonNode json) implements Document {}

        /** Files an action wrote into the workspace, in the order it wrote them. */
        record WrittenFiles(List<File> files) implements Document {}

        /** One written file: its path relative to the workspace and its whole content. */
        record File(String path, String content) {}

        /** Classifies {@code m}; {@code writesFiles} says whether its action is one that writes files. */
        static Document of(Message m, boolean writesFiles) {
            return of(m.payload().orElse(null), m.content(), writesFiles);
        }

        /**
         * Classifies a message as the journal keeps it ({@code payload}, {@code content}). The journal
         * does not say which action wrote files, so a payload shaped like one ({@code files} of paths
         * and contents) counts as files.
         */
        static Document ofJournaled(JsonNode message) {
            JsonNode payload = message.hasNonNull("payload") ? message.get("payload") : null;
            boolean shapedAsFiles = payload != null && payload.path("files").isArray() && !payload.get("files").isEmpty()
                    && StreamSupport.stream(payload.get("files").spliterator(), false)
                            .allMatch(f -> f.path("path").isTextual() && f.path("content").isTextual());
            return of(payload, message.path("content").asText(), shapedAsFiles);
        }

        private static Document of(JsonNode payload, String content, boolean writesFiles) {
            if (payload == null) {
                return new Markdown(content);
            }
            if (writesFiles && payload.path("files").isArray()) {
                List<File> files = new ArrayList<>();
                payload.get("files").forEach(f -> files.add(new File(f.path("path").asText(), f.path("content").asText())));
                return new WrittenFiles(List.copyOf(files));
            }
            return new Payload(payload);
        }

        /** The whole document as a terminal shows it: Markdown as written, JSON indented, each file under a header line. */
        default String text() {
            return switch (this) {
                case Markdown md -> md.text().strip();
                case Payload p -> p.json().toPrettyString();
                case WrittenFiles w -> w.files().stream()
                        .map(f -> "── " + f.path() + " (" + f.content().lines().count() + " lines) ──\n" + f.content().stripTrailing())
                        .collect(Collectors.joining("\n\n"));
            };
        }
    }

    /** The names of the actions of {@code roles} that write files into the workspace. */
    static Set<String> fileActions(List<Role> roles) {
        return roles.stream().flatMap(r -> r.actions().stream()).filter(Action::writesFiles).map(Action::name)
                .collect(Collectors.toUnmodifiableSet());
    }

    static void write(RunResult result, Path workspace, Set<String> fileActions) {
        Path docs = workspace.resolve("docs");
        try {
            Files.createDirectories(docs);
            for (String action : result.documents().keySet()) {
                Message m = result.document(action).orElseThrow();
                switch (Document.of(m, fileActions.contains(action))) {
                    case Document.Markdown md -> save(docs.resolve(action + ".md"), md.text());
                    case Document.Payload p -> save(docs.resolve(action + ".json"), p.json().toPrettyString());
                    case Document.WrittenFiles f -> writeFiles(docs, action, f.files());
                }
            }
        } catch (IOException e) {
            throw new TroupeException("Cannot write the run's documents into " + docs + ": " + e.getMessage(), e);
        }
    }

    private static void writeFiles(Path docs, String action, List<Document.File> files) throws IOException {
        Path dir = docs.resolve(action).normalize();
        ObjectNode index = Json.MAPPER.createObjectNode();
        ArrayNode list = index.putArray("files");
        for (Document.File f : files) {
            Path target = dir.resolve(f.path()).normalize();
            // The run checked these paths when it wrote them; a journal edited since is not trusted to stay inside.
            if (!target.startsWith(dir) || target.equals(dir)) {
                throw new TroupeException("The document of " + action + " names the file '" + f.path()
                        + "', which is not inside its folder " + dir + "; the run's journal was changed by hand?");
            }
            Files.createDirectories(target.getParent());
            Files.writeString(target, Redactor.fromEnvironment().redact(f.content()), StandardCharsets.UTF_8);
            list.addObject().put("path", f.path()).put("lines", f.content().lines().count())
                    .put("copy", docs.relativize(target).toString().replace('\\', '/'));
        }
        save(docs.resolve(action + ".json"), index.toPrettyString());
    }

    private static void save(Path file, String text) throws IOException {
        Files.writeString(file, Redactor.fromEnvironment().redact(text) + "\n", StandardCharsets.UTF_8);
    }
}
