package dev.troupe.tools.importer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.tools.error.SpecException;
import dev.troupe.tools.spec.ApiSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Imports API specs from files and folders — ToolBench tool JSON, StableToolBench query files, OpenAPI 3.x
 * and Swagger 2.0 in JSON or YAML — telling the format from the content; a file that cannot be used is
 * reported in {@link ImportResult#skipped()} and the import goes on.
 */
public final class SpecImporter {
    private SpecImporter() {
    }

    /** Imports every path (a file, or a folder walked recursively in name order). */
    public static ImportResult importPaths(List<Path> paths) {
        return importPaths(paths, file -> {
        });
    }

    /**
     * Imports every path, calling {@code onFile} before each file is read (for progress).
     *
     * @throws SpecException when a path does not exist: that is a typo to fix, not a spec to skip
     */
    public static ImportResult importPaths(List<Path> paths, Consumer<Path> onFile) {
        List<ApiSpec> specs = new ArrayList<>();
        List<SkippedSpec> skipped = new ArrayList<>();
        int files = 0;
        for (Path path : paths) {
            for (Path file : files(path)) {
                onFile.accept(file);
                files++;
                try {
                    specs.addAll(importFile(file, skipped));
                } catch (SpecException e) {
                    skipped.add(new SkippedSpec(e.file(), e.reason() + (e.advice().isBlank() ? "" : " — " + e.advice())));
                } catch (RuntimeException | StackOverflowError e) {
                    // A parser bug on one odd spec must not end an import of thousands.
                    skipped.add(new SkippedSpec(file.toString(), "could not be read (" + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")"));
                }
            }
        }
        return new ImportResult(specs, skipped, files);
    }

    /**
     * Imports one file; problems in parts of it are added to {@code skipped}.
     *
     * @throws SpecException when the file as a whole cannot be used; the message names the file and why
     */
    public static List<ApiSpec> importFile(Path file, List<SkippedSpec> skipped) {
        try {
            return read(file, skipped);
        } catch (IllegalArgumentException e) {
            throw new SpecException(file.toString(), e.getMessage(), "fix the spec or leave the file out of the import", e);
        }
    }

    private static List<ApiSpec> read(Path file, List<SkippedSpec> skipped) {
        JsonNode root = SpecFiles.read(file);
        if (ToolBenchImporter.isQueryFile(root)) {
            return ToolBenchImporter.fromQueryFile(root, file.toString(), skipped);
        }
        if (ToolBenchImporter.isToolFile(root)) {
            Path parent = file.toAbsolutePath().getParent();
            String folder = parent == null || parent.getFileName() == null ? "" : parent.getFileName().toString();
            return List.of(ToolBenchImporter.fromToolFile(root, file.toString(), folder, skipped));
        }
        if (OpenApiImporter.isOpenApi(root)) {
            return List.of(OpenApiImporter.fromDocument(file, root, skipped));
        }
        throw new SpecException(file, "not an API spec: expected an OpenAPI 3 or Swagger 2 document ('openapi'/'swagger' key), "
                + "a ToolBench tool ('tool_name' and 'api_list') or a StableToolBench query list", "leave the file out of the import");
    }

    private static List<Path> files(Path path) {
        if (!Files.exists(path)) {
            throw new SpecException(path, "no such file or folder", "check the path");
        }
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        try (Stream<Path> walk = Files.walk(path)) {
            return walk.filter(Files::isRegularFile).filter(SpecFiles::isSpecFile).sorted().toList();
        } catch (IOException e) {
            throw new SpecException(path.toString(), "the folder cannot be read (" + e.getMessage() + ")",
                    "check its permissions", e);
        }
    }
}
