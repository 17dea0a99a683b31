package dev.troupe.cli;

import dev.troupe.agents.error.TroupeException;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.security.Redactor;
import dev.troupe.agents.team.RunResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Leaves the run's documents in the workspace's {@code docs/} folder: the latest of each action, JSON or Markdown. */
final class WorkspaceDocuments {
    private WorkspaceDocuments() {}

    static void write(RunResult result, Path workspace) {
        Path docs = workspace.resolve("docs");
        try {
            Files.createDirectories(docs);
            for (String action : result.documents().keySet()) {
                Message m = result.document(action).orElseThrow();
                String name = action + (m.payload().isPresent() ? ".json" : ".md");
                String text = m.payload().map(p -> p.toPrettyString()).orElse(m.content());
                Files.writeString(docs.resolve(name), Redactor.global().redact(text) + "\n", StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new TroupeException("Cannot write the run's documents into " + docs + ": " + e.getMessage(), e);
        }
    }
}
