package dev.troupe.tools.importer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.tools.error.CatalogException;
import dev.troupe.tools.error.SpecException;
import dev.troupe.tools.spec.ApiSpec;
import dev.troupe.tools.spec.Endpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
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
        Collector collector = new Collector(onFile);
        int files = stream(files(paths), collector);
        return new ImportResult(collector.specs, collector.skipped, files);
    }

    /**
     * Imports one file; problems in parts of it are added to {@code skipped}.
     *
     * @throws SpecException when the file as a whole cannot be used; the message names the file and why
     */
    public static List<ApiSpec> importFile(Path file, List<SkippedSpec> skipped) {
        Collector collector = new Collector(f -> {
        });
        try {
            streamFile(file, collector);
        } catch (IllegalArgumentException e) {
            throw new SpecException(file.toString(), e.getMessage(), "fix the spec or leave the file out of the import", e);
        }
        collector.fileFinished(file);
        skipped.addAll(collector.skipped);
        return collector.specs;
    }

    /**
     * The spec files under {@code paths} (a file, or a folder walked recursively in name order), in import order.
     *
     * @throws SpecException when a path does not exist: that is a typo to fix, not a spec to skip
     */
    public static List<Path> files(List<Path> paths) {
        List<Path> out = new ArrayList<>();
        paths.forEach(p -> out.addAll(files(p)));
        return out;
    }

    /**
     * Reads {@code files} one at a time and hands every spec header and endpoint to {@code visitor} as it is
     * read, holding no more than one parsed document: a directory of any size imports in bounded memory.
     * A file that cannot be used is reported to the visitor ({@link SpecVisitor#skipped}, then
     * {@link SpecVisitor#fileFailed}) and the import goes on.
     *
     * @return how many files were read
     */
    public static int stream(List<Path> files, SpecVisitor visitor) {
        for (Path file : files) {
            visitor.fileStarted(file);
            SkippedSpec failure = null;
            try {
                streamFile(file, visitor);
            } catch (SpecException e) {
                failure = new SkippedSpec(e.file(), e.reason() + (e.advice().isBlank() ? "" : " — " + e.advice()));
            } catch (CatalogException e) {
                throw e;   // the visitor's store failed, not the spec: the import stops and resumes later
            } catch (IllegalArgumentException e) {
                failure = new SkippedSpec(file.toString(), e.getMessage());
            } catch (RuntimeException | StackOverflowError e) {
                // A parser bug on one odd spec must not end an import of thousands.
                failure = new SkippedSpec(file.toString(), "could not be read (" + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
            }
            if (failure == null) {
                visitor.fileFinished(file);
            } else {
                visitor.skipped(failure);
                visitor.fileFailed(file);
            }
        }
        return files.size();
    }

    private static void streamFile(Path file, SpecVisitor visitor) {
        // Held in a reference the OpenAPI reader clears once parsed: a 47 MB document's tree must not
        // stay alive while its thousands of operations are converted.
        AtomicReference<JsonNode> root = new AtomicReference<>(SpecFiles.read(file));
        List<SkippedSpec> skipped = new ArrayList<>();
        if (ToolBenchImporter.isQueryFile(root.get())) {
            ToolBenchImporter.fromQueryFile(root.get(), file.toString(), skipped).forEach(spec -> deliver(spec, visitor));
        } else if (ToolBenchImporter.isToolFile(root.get())) {
            Path parent = file.toAbsolutePath().getParent();
            String folder = parent == null || parent.getFileName() == null ? "" : parent.getFileName().toString();
            deliver(ToolBenchImporter.fromToolFile(root.get(), file.toString(), folder, skipped), visitor);
        } else if (OpenApiImporter.isOpenApi(root.get())) {
            OpenApiImporter.stream(file, root, visitor);
        } else {
            throw new SpecException(file, "not an API spec: expected an OpenAPI 3 or Swagger 2 document ('openapi'/'swagger' key), "
                    + "a ToolBench tool ('tool_name' and 'api_list') or a StableToolBench query list", "leave the file out of the import");
        }
        skipped.forEach(visitor::skipped);
    }

    private static void deliver(ApiSpec spec, SpecVisitor visitor) {
        visitor.spec(spec.toBuilder().endpoints(List.of()).build());
        spec.endpoints().forEach(visitor::endpoint);
    }

    /** Builds whole specs from a stream, for callers that want them in memory (small imports). */
    private static final class Collector implements SpecVisitor {
        private final Consumer<Path> onFile;
        private final List<ApiSpec> specs = new ArrayList<>();
        private final List<SkippedSpec> skipped = new ArrayList<>();
        private final List<ApiSpec.Builder> ofFile = new ArrayList<>();

        Collector(Consumer<Path> onFile) {
            this.onFile = onFile;
        }

        @Override
        public void fileStarted(Path file) {
            onFile.accept(file);
            ofFile.clear();
        }

        @Override
        public void spec(ApiSpec header) {
            ofFile.add(header.toBuilder());
        }

        @Override
        public void endpoint(Endpoint endpoint) {
            ofFile.get(ofFile.size() - 1).endpoint(endpoint);
        }

        @Override
        public void skipped(SkippedSpec s) {
            skipped.add(s);
        }

        @Override
        public void fileFinished(Path file) {
            ofFile.stream().map(ApiSpec.Builder::build).filter(s -> !s.endpoints().isEmpty()).forEach(specs::add);
        }
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
