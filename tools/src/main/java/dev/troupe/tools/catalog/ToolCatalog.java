package dev.troupe.tools.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableList;
import dev.troupe.tools.error.CatalogException;
import dev.troupe.tools.function.ToolFunctions;
import dev.troupe.tools.importer.ImportResult;
import dev.troupe.tools.importer.SkippedSpec;
import dev.troupe.tools.importer.SpecImporter;
import dev.troupe.tools.retrieval.EmbeddingModels;
import dev.troupe.tools.retrieval.SearchMode;
import dev.troupe.tools.retrieval.ToolIndex;
import dev.troupe.tools.retrieval.ToolRetriever;
import dev.troupe.tools.spec.ApiSpec;
import dev.troupe.tools.spec.ApiSpecJson;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.lucene.store.FSDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A catalog of API tools on disk — the imported specs, their functions, and a Lucene index with one
 * embedding per function — that reopens without re-embedding and answers {@link #search}.
 *
 * <p>Layout of a catalog folder: {@code catalog.json} (manifest), {@code specs.jsonl} (one spec a line),
 * {@code index/} (Lucene: BM25 fields and vectors).
 */
public final class ToolCatalog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ToolCatalog.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int FORMAT = 1;
    private static final String MANIFEST = "catalog.json";
    private static final String SPECS = "specs.jsonl";
    private static final String INDEX = "index";

    private final Path dir;
    private final List<ApiSpec> specs;
    private final ToolFunctions functions;
    private final Optional<EmbeddingModels> model;
    private final FSDirectory directory;
    private final ToolRetriever retriever;

    private ToolCatalog(Path dir, List<ApiSpec> specs, Optional<EmbeddingModels> model) throws IOException {
        this.dir = dir;
        this.specs = ImmutableList.copyOf(specs);
        this.functions = ToolFunctions.of(specs);
        this.model = model;
        this.directory = FSDirectory.open(dir.resolve(INDEX));
        this.retriever = ToolRetriever.open(directory, model);
        if (retriever.size() != functions.size()) {
            LOG.warn("catalog {} indexes {} of its {} functions; run the import again to finish it", dir, retriever.size(), functions.size());
        }
    }

    /** Imports into a catalog with the default embedding model ({@link EmbeddingModels#DEFAULT}). */
    public static ImportReport importSpecs(List<Path> paths, Path catalogDir, ImportProgress progress) {
        return importSpecs(paths, catalogDir, Optional.of(EmbeddingModels.DEFAULT), progress);
    }

    /**
     * Imports spec files and folders into a catalog folder, creating it or adding to it: a spec from
     * the same file with the same name replaces the earlier import. Only new or changed functions are
     * embedded, so running it again after an interruption finishes the job.
     *
     * @param model the embedding model, or empty for a BM25-only catalog (much faster to build)
     */
    public static ImportReport importSpecs(List<Path> paths, Path catalogDir, Optional<EmbeddingModels> model,
            ImportProgress progress) {
        Instant start = Instant.now();
        try {
            Files.createDirectories(catalogDir);
        } catch (IOException e) {
            throw new CatalogException("cannot create catalog folder " + catalogDir + " (" + e.getMessage() + "); choose a writable folder", e);
        }
        ImportResult imported = SpecImporter.importPaths(paths, progress::readingFile);
        imported.skipped().forEach(progress::skipped);
        Map<String, ApiSpec> merged = new LinkedHashMap<>();
        for (ApiSpec spec : readSpecs(catalogDir)) {
            merged.put(spec.source() + "\u0000" + spec.name(), spec);
        }
        for (ApiSpec spec : imported.specs()) {
            merged.put(spec.source() + "\u0000" + spec.name(), spec);
        }
        List<ApiSpec> specs = new ArrayList<>(merged.values());
        ToolFunctions functions = ToolFunctions.of(specs);
        try {
            writeSpecs(catalogDir, specs);
            int indexed;
            try (FSDirectory directory = FSDirectory.open(catalogDir.resolve(INDEX))) {
                indexed = ToolIndex.sync(directory, functions.all(), model, progress::indexed);
            }
            writeManifest(catalogDir, model, specs.size(), functions.size());
            return new ImportReport(imported.filesRead(), specs.size(), functions.size(), indexed, functions.size() - indexed,
                    imported.skipped(), Duration.between(start, Instant.now()));
        } catch (IOException e) {
            throw new CatalogException("writing catalog " + catalogDir + " failed (" + e.getMessage()
                    + "); check free disk space and permissions, then run the import again to resume", e);
        }
    }

    /** Opens a catalog folder written by {@link #importSpecs}; nothing is re-embedded. */
    public static ToolCatalog open(Path catalogDir) {
        Path manifest = catalogDir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            throw new CatalogException(catalogDir + " is not a tool catalog (no " + MANIFEST + "); create one with an import first");
        }
        try {
            JsonNode m = MAPPER.readTree(manifest.toFile());
            if (m.path("format").asInt() != FORMAT) {
                throw new CatalogException(catalogDir + " has catalog format " + m.path("format") + ", this version reads " + FORMAT
                        + "; import the specs again into a new folder");
            }
            Optional<EmbeddingModels> model = m.path("embeddingModel").isTextual()
                    ? Optional.of(EmbeddingModels.byId(m.get("embeddingModel").asText())) : Optional.empty();
            return new ToolCatalog(catalogDir, readSpecs(catalogDir), model);
        } catch (IOException e) {
            throw new CatalogException("cannot open catalog " + catalogDir + " (" + e.getMessage() + "); import it again", e);
        }
    }

    /** The best {@code k} functions for a request. */
    public List<CatalogHit> search(String query, int k, SearchMode mode) {
        return retriever.search(query, k, mode).stream()
                .flatMap(hit -> functions.byName(hit.functionName()).map(f -> new CatalogHit(f, hit.score())).stream())
                .toList();
    }

    public ToolFunctions functions() {
        return functions;
    }

    public List<ApiSpec> specs() {
        return specs;
    }

    /** The model the catalog's vectors were made with; empty for a BM25-only catalog. */
    public Optional<EmbeddingModels> embeddingModel() {
        return model;
    }

    public Path directory() {
        return dir;
    }

    @Override
    public void close() {
        try {
            retriever.close();
            directory.close();
        } catch (IOException e) {
            LOG.warn("closing catalog {} failed: {}", dir, e.toString());
        }
    }

    private static List<ApiSpec> readSpecs(Path dir) {
        Path file = dir.resolve(SPECS);
        if (!Files.exists(file)) {
            return List.of();
        }
        List<ApiSpec> out = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (!line.isBlank()) {
                    try {
                        out.add(ApiSpecJson.fromJson(MAPPER.readTree(line)));
                    } catch (IOException | RuntimeException e) {
                        throw new CatalogException(file + ":" + number + " is not a valid spec line (" + e.getMessage()
                                + "); the catalog is damaged: import the specs again into a new folder", e);
                    }
                }
            }
        } catch (IOException e) {
            throw new CatalogException("cannot read " + file + " (" + e.getMessage() + ")", e);
        }
        return out;
    }

    private static void writeSpecs(Path dir, List<ApiSpec> specs) throws IOException {
        Path tmp = dir.resolve(SPECS + ".tmp");
        try (BufferedWriter writer = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            for (ApiSpec spec : specs) {
                writer.write(MAPPER.writeValueAsString(ApiSpecJson.toJson(spec)));
                writer.newLine();
            }
        }
        // Replace in one step so a killed import never leaves half a spec file.
        Files.move(tmp, dir.resolve(SPECS), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void writeManifest(Path dir, Optional<EmbeddingModels> model, int tools, int functions) throws IOException {
        ObjectNode m = MAPPER.createObjectNode().put("format", FORMAT);
        model.ifPresentOrElse(e -> m.put("embeddingModel", e.id()).put("dimension", e.dimension()), () -> m.putNull("embeddingModel"));
        m.put("tools", tools).put("functions", functions).put("updatedAt", Instant.now().toString());
        Path tmp = dir.resolve(MANIFEST + ".tmp");
        MAPPER.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), m);
        Files.move(tmp, dir.resolve(MANIFEST), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
