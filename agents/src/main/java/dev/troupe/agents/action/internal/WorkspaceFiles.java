package dev.troupe.agents.action.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the {@code files: [{path, content}]} of an action's payload into the workspace, refusing
 * any path that would land outside it, go through a symbolic link, or touch the run's own state
 * in {@code .troupe/} (its journal and lessons).
 */
public final class WorkspaceFiles {
    /** The workspace folder that holds the run's journal, lessons and lock: never written by a model. */
    public static final String STATE_FOLDER = ".troupe";

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
            } else if (isState(path)) {
                errors.add("file path '" + path + "' is inside " + STATE_FOLDER + "/, which holds the run's journal; write elsewhere");
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
        Path root;
        try {
            Files.createDirectories(workspace);
            root = workspace.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the workspace " + workspace, e);
        }
        for (JsonNode f : payload.path("files")) {
            String rel = f.path("path").asText();
            Path target = root.resolve(rel).normalize();
            if (!target.startsWith(root) || target.equals(root)) {
                throw new IllegalArgumentException("file path '" + rel + "' escapes the workspace " + root);
            }
            if (isState(root.relativize(target).toString())) {
                throw new IllegalArgumentException("file path '" + rel + "' is inside " + STATE_FOLDER + "/ of " + root
                        + ", which holds the run's journal; a model may not write there");
            }
            try {
                refuseLinks(root, target, rel);
                Files.createDirectories(target.getParent());
                refuseLinks(root, target, rel);
                // NOFOLLOW_LINKS: a link put in place since the check is refused by the open itself.
                try (OutputStream out = Files.newOutputStream(target, LinkOption.NOFOLLOW_LINKS, StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                    out.write(f.path("content").asText().getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + target, e);
            }
            written.add(rel);
        }
        return written.build();
    }

    /** Refuses a path any of whose existing parts below the workspace is a symbolic link: it could lead out of it. */
    private static void refuseLinks(Path root, Path target, String rel) {
        Path p = root;
        for (Path part : root.relativize(target)) {
            p = p.resolve(part);
            if (Files.isSymbolicLink(p)) {
                throw new IllegalArgumentException("file path '" + rel + "' goes through the symbolic link " + root.relativize(p)
                        + " in the workspace " + root + "; files are written only to real paths inside it");
            }
        }
    }

    private static boolean isState(String rel) {
        Path p = Path.of(rel).normalize();
        // Case-blind: on macOS and Windows .TROUPE is the same folder.
        return p.getNameCount() > 0 && p.getName(0).toString().equalsIgnoreCase(STATE_FOLDER);
    }

    private static boolean isInside(String rel) {
        if (rel.startsWith("/") || rel.startsWith("\\") || rel.matches("^[A-Za-z]:.*")) {
            return false;
        }
        Path p = Path.of(rel).normalize();
        return !p.startsWith("..") && !p.toString().isEmpty();
    }
}
