package dev.troupe.agents.action.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the {@code files: [{path, content}]} of an action's payload into the workspace, refusing
 * any path that would land outside it.
 */
public final class WorkspaceFiles {
    private WorkspaceFiles() {}

    /** Problems that make a payload unwritable, as re-ask feedback for the model; empty when fine. */
    public static ImmutableList<String> problems(JsonNode payload) {
        List<String> errors = new ArrayList<>();
        JsonNode files = payload.path("files");
        if (!files.isArray()) {
            return ImmutableList.of("the output needs a 'files' array of {path, content}");
        }
        for (JsonNode f : files) {
            String path = f.path("path").asText("");
            if (path.isBlank()) {
                errors.add("a file has no path");
            } else if (!isInside(path)) {
                errors.add("file path '" + path + "' must be relative and stay inside the workspace");
            }
            if (!f.path("content").isTextual()) {
                errors.add("file '" + path + "' has no text content");
            }
        }
        return ImmutableList.copyOf(errors);
    }

    /** Writes every file; returns the relative paths written. */
    public static ImmutableList<String> write(JsonNode payload, Path workspace) {
        ImmutableList.Builder<String> written = ImmutableList.builder();
        Path root = workspace.toAbsolutePath().normalize();
        for (JsonNode f : payload.path("files")) {
            String rel = f.path("path").asText();
            Path target = root.resolve(rel).normalize();
            if (!target.startsWith(root)) {
                throw new IllegalArgumentException("file path '" + rel + "' escapes the workspace " + root);
            }
            try {
                Files.createDirectories(target.getParent());
                Files.writeString(target, f.path("content").asText(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + target, e);
            }
            written.add(rel);
        }
        return written.build();
    }

    private static boolean isInside(String rel) {
        if (rel.startsWith("/") || rel.startsWith("\\") || rel.matches("^[A-Za-z]:.*")) {
            return false;
        }
        Path p = Path.of(rel).normalize();
        return !p.startsWith("..") && !p.toString().isEmpty();
    }
}
