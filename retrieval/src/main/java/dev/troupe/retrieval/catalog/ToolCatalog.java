package dev.troupe.retrieval.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.base.Supplier;
import com.google.common.base.Suppliers;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.collect.ImmutableList;
import com.google.common.hash.Hashing;
import dev.troupe.retrieval.EmbeddingModels;
import dev.troupe.retrieval.SearchMode;
import dev.troupe.retrieval.ToolIndex;
import dev.troupe.retrieval.ToolRetriever;
import dev.troupe.tools.error.CatalogException;
import dev.troupe.tools.function.ToolFunction;
import dev.troupe.tools.function.ToolFunctions;
import dev.troupe.tools.importer.SpecImporter;
import dev.troupe.tools.spec.ApiSpec;
import dev.troupe.tools.spec.ApiSpecJson;
import dev.troupe.tools.spec.Endpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A catalog of API tools on disk — the imported specs, their functions, and a Lucene index with one
 * embedding per function — that reopens in moments without re-embedding or loading its functions, and
 * answers {@link #search} from the index alone.
 *
 * <p>Layout of a catalog folder: {@code catalog.json} (manifest) and {@code index/} (Lucene: for each
 * function its BM25 fields, its vector and its endpoint; for each spec its header; for each imported file
 * its fingerprint and what it gave).
 */
public final class ToolCatalog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ToolCatalog.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int FORMAT = 3;
    private static final String MANIFEST = "catalog.json";
    private static final String INDEX = "index";
    private static final int HEADER_CACHE = 1_024;
    /** A commit syncs to disk, which costs; an interrupted import redoes at most this much work. */
    private static final Duration COMMIT_EVERY = Duration.ofSeconds(30);

    private final Path dir;
    private final Optional<EmbeddingModels> model;
    private final FSDirectory directory;
    private final IndexSearcher searcher;
    private final ToolRetriever retriever;
    private final Cache<String, ApiSpec> headers = CacheBuilder.newBuilder().maximumSize(HEADER_CACHE).build();
    private final Supplier<Loaded> loaded = Suppliers.memoize(this::loadAll);

    /** Every spec with its endpoints and every function, read from the index on first use. */
    private record Loaded(List<ApiSpec> specs, ToolFunctions functions) {
    }

    private ToolCatalog(Path dir, Optional<EmbeddingModels> model) throws IOException {
        this.dir = dir;
        this.model = model;
        this.directory = FSDirectory.open(dir.resolve(INDEX));
        DirectoryReader reader = DirectoryReader.open(directory);
        this.searcher = new IndexSearcher(reader);
        this.retriever = ToolRetriever.open(reader, model);
    }

    /** Imports into a catalog with the default embedding model ({@link EmbeddingModels#DEFAULT}). */
    public static ImportReport importSpecs(List<Path> paths, Path catalogDir, ImportProgress progress) {
        return importSpecs(paths, catalogDir, Optional.of(EmbeddingModels.DEFAULT), progress);
    }

    /**
     * Imports spec files and folders into a catalog folder, creating it or adding to it, one file at a time:
     * each endpoint is indexed (and embedded, a batch at a time) as it is read and then dropped, so memory
     * stays bounded whatever the number of specs. Importing a file again replaces what it gave before (its
     * functions keep their names); a file whose content has not changed since it was imported is skipped.
     * The index commits every 30 seconds, and a file counts as imported only once all of it is
     * committed, so running an interrupted import again finishes it.
     *
     * @param model the embedding model, or empty for a BM25-only catalog (much faster to build); a catalog
     *     keeps the model it was created with
     */
    public static ImportReport importSpecs(List<Path> paths, Path catalogDir, Optional<EmbeddingModels> model,
            ImportProgress progress) {
        return importSpecs(paths, catalogDir, model, progress, COMMIT_EVERY);
    }

    static ImportReport importSpecs(List<Path> paths, Path catalogDir, Optional<EmbeddingModels> model, ImportProgress progress,
            Duration commitEvery) {
        Instant start = Instant.now();
        List<Path> files = SpecImporter.files(paths).stream().distinct().toList();
        try {
            Files.createDirectories(catalogDir);
        } catch (IOException e) {
            throw new CatalogException("cannot create catalog folder " + catalogDir + " (" + e.getMessage() + "); choose a writable folder", e);
        }
        checkModel(catalogDir, model);
        try (FSDirectory index = FSDirectory.open(catalogDir.resolve(INDEX))) {
            writeManifest(catalogDir, model, false);
            CatalogWriter writer = CatalogWriter.open(index, model, progress, fingerprints(files, model), commitEvery);
            try {
                List<Path> todo = new ArrayList<>();
                long bytes = 0;
                for (Path file : files) {
                    if (writer.upToDate(file).isEmpty()) {
                        todo.add(file);
                        bytes += Files.size(file);
                    }
                }
                writer.plan(files.size(), bytes);
                for (Path file : files) {
                    writer.upToDate(file).ifPresent(writer::reuse);
                }
                SpecImporter.stream(todo, writer);
                writer.finish();
                writeManifest(catalogDir, model, true);
            } catch (IOException | RuntimeException | Error e) {
                writer.abandon();
                throw e;
            }
            int[] counts = counts(index);
            return new ImportReport(files.size(), counts[0], counts[1], writer.indexed(), writer.reused(), writer.skippedSpecs(),
                    Duration.between(start, Instant.now()));
        } catch (IOException e) {
            throw new CatalogException("writing catalog " + catalogDir + " failed (" + e.getMessage()
                    + "); check free disk space and permissions, then run the import again to resume", e);
        }
    }

    /**
     * Whether {@code catalogDir} holds a finished catalog this version reads: a folder that is not a catalog,
     * one written in another format, or one whose last import did not finish (it was killed; running it
     * again resumes it) is not.
     */
    public static boolean isCurrent(Path catalogDir) {
        Path manifest = catalogDir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            return false;
        }
        try {
            JsonNode m = MAPPER.readTree(manifest.toFile());
            return m.path("format").asInt() == FORMAT && m.path("complete").asBoolean(false);
        } catch (IOException e) {
            return false;
        }
    }

    /** Opens a catalog folder written by {@link #importSpecs}; nothing is re-embedded and no function is loaded until asked for. */
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
            try (FSDirectory index = FSDirectory.open(catalogDir.resolve(INDEX))) {
                if (!DirectoryReader.indexExists(index)) {
                    throw new CatalogException(catalogDir + " has no committed index yet; run the import (again) to finish it");
                }
            }
            return new ToolCatalog(catalogDir, manifestModel(m));
        } catch (IOException e) {
            throw new CatalogException("cannot open catalog " + catalogDir + " (" + e.getMessage() + "); import it again", e);
        }
    }

    /**
     * The best {@code k} functions for a request, read from the index. A hit's {@link ToolFunction#tool()} carries
     * the API's name, description, base URL, auth and headers but not its other endpoints (see {@link #specs()}).
     */
    public List<CatalogHit> search(String query, int k, SearchMode mode) {
        return retriever.search(query, k, mode).stream()
                .flatMap(hit -> function(hit.functionName()).map(f -> new CatalogHit(f, hit.score())).stream())
                .toList();
    }

    /** One function by name, read from the index (as in {@link #search}); nothing else is loaded. */
    public Optional<ToolFunction> function(String name) {
        try {
            TopDocs top = searcher.search(new TermQuery(new Term(ToolIndex.ID, name)), 1);
            if (top.scoreDocs.length == 0) {
                return Optional.empty();
            }
            Document doc = searcher.storedFields().document(top.scoreDocs[0].doc);
            Endpoint endpoint = ApiSpecJson.endpointFromJson(MAPPER.readTree(doc.get(CatalogFields.ENDPOINT)));
            return Optional.of(ToolFunction.of(name, doc.get(CatalogFields.TOOL_KEY), header(doc.get(CatalogFields.SPEC_KEY)), endpoint));
        } catch (IOException e) {
            throw new CatalogException("reading function " + name + " from catalog " + dir + " failed (" + e.getMessage()
                    + "); the catalog may be damaged: import the specs again into a new folder", e);
        }
    }

    /** Every function of the catalog; the first call reads them all from the index (large catalogs: prefer {@link #search}). */
    public ToolFunctions functions() {
        return loaded.get().functions();
    }

    /** Every spec with its endpoints, in import order; the first call reads them all from the index. */
    public List<ApiSpec> specs() {
        return loaded.get().specs();
    }

    /** How many functions the catalog holds, without loading them. */
    public int size() {
        return retriever.size();
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

    private ApiSpec header(String specKey) throws IOException {
        ApiSpec cached = headers.getIfPresent(specKey);
        if (cached != null) {
            return cached;
        }
        // Functions carry their spec's key too; only the spec's own document has the header.
        Query query = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(CatalogFields.SPEC_KEY, specKey)), BooleanClause.Occur.FILTER)
                .add(new TermQuery(new Term(CatalogFields.KIND, CatalogFields.SPEC)), BooleanClause.Occur.FILTER).build();
        TopDocs top = searcher.search(query, 1);
        if (top.scoreDocs.length == 0) {
            throw new IOException("no spec header for " + specKey.replace('\u0000', ' '));
        }
        ApiSpec header = ApiSpecJson.fromJson(MAPPER.readTree(searcher.storedFields().document(top.scoreDocs[0].doc).get(CatalogFields.HEADER)));
        headers.put(specKey, header);
        return header;
    }

    private Loaded loadAll() {
        try {
            IndexReader reader = searcher.getIndexReader();
            Map<String, Long> specOrder = new HashMap<>();
            Map<String, ApiSpec> specHeaders = new HashMap<>();
            CatalogFields.forEach(reader, new Term(CatalogFields.KIND, CatalogFields.SPEC), (leaf, d) -> {
                Document doc = leaf.reader().storedFields().document(d);
                String key = doc.get(CatalogFields.SPEC_KEY);
                specHeaders.put(key, ApiSpecJson.fromJson(MAPPER.readTree(doc.get(CatalogFields.HEADER))));
                specOrder.put(key, seq(leaf, d));
            });
            record Stored(long seq, String name, String toolKey, String specKey, Endpoint endpoint) {
            }
            List<Stored> stored = new ArrayList<>();
            CatalogFields.forEach(reader, new Term(CatalogFields.KIND, CatalogFields.FUNCTION), (leaf, d) -> {
                Document doc = leaf.reader().storedFields().document(d);
                stored.add(new Stored(seq(leaf, d), doc.get(ToolIndex.ID), doc.get(CatalogFields.TOOL_KEY), doc.get(CatalogFields.SPEC_KEY),
                        ApiSpecJson.endpointFromJson(MAPPER.readTree(doc.get(CatalogFields.ENDPOINT)))));
            });
            stored.sort(Comparator.comparingLong(Stored::seq));
            Map<String, ApiSpec.Builder> builders = new HashMap<>();
            for (Stored f : stored) {
                builders.computeIfAbsent(f.specKey(), k -> specHeaders.get(k).toBuilder()).endpoint(f.endpoint());
            }
            Map<String, ApiSpec> specs = new LinkedHashMap<>();
            specOrder.entrySet().stream().sorted(Map.Entry.comparingByValue())
                    .filter(e -> builders.containsKey(e.getKey()))
                    .forEach(e -> specs.put(e.getKey(), builders.get(e.getKey()).build()));
            List<ToolFunction> functions = new ArrayList<>(stored.size());
            for (Stored f : stored) {
                functions.add(ToolFunction.of(f.name(), f.toolKey(), specs.get(f.specKey()), f.endpoint()));
            }
            return new Loaded(ImmutableList.copyOf(specs.values()), ToolFunctions.from(functions));
        } catch (IOException | RuntimeException e) {
            throw new CatalogException("reading catalog " + dir + " failed (" + e.getMessage()
                    + "); the catalog may be damaged: import the specs again into a new folder", e);
        }
    }

    private static long seq(LeafReaderContext leaf, int doc) throws IOException {
        NumericDocValues seqs = leaf.reader().getNumericDocValues(CatalogFields.SEQ);
        return seqs != null && seqs.advanceExact(doc) ? seqs.longValue() : Long.MAX_VALUE;
    }

    /** Spec and function counts of a committed index. */
    private static int[] counts(Directory index) throws IOException {
        try (DirectoryReader reader = DirectoryReader.open(index)) {
            IndexSearcher s = new IndexSearcher(reader);
            return new int[] {s.count(new TermQuery(new Term(CatalogFields.KIND, CatalogFields.SPEC))),
                    s.count(new TermQuery(new Term(CatalogFields.KIND, CatalogFields.FUNCTION)))};
        }
    }

    /** Content hashes that tell a changed file (or a different model) from one imported before. */
    private static Map<Path, String> fingerprints(List<Path> files, Optional<EmbeddingModels> model) throws IOException {
        Map<Path, String> out = new HashMap<>();
        String salt = FORMAT + "\n" + model.map(EmbeddingModels::id).orElse("text-only") + "\n";
        for (Path file : files) {
            out.put(file, salt + com.google.common.io.Files.asByteSource(file.toFile()).hash(Hashing.murmur3_128()));
        }
        return out;
    }

    private static Optional<EmbeddingModels> manifestModel(JsonNode m) {
        return m.path("embeddingModel").isTextual() ? Optional.of(EmbeddingModels.byId(m.get("embeddingModel").asText())) : Optional.empty();
    }

    /** A catalog's vectors all come from one model: adding to it with another would mix incomparable vectors. */
    private static void checkModel(Path dir, Optional<EmbeddingModels> model) {
        Path manifest = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            return;
        }
        try {
            JsonNode m = MAPPER.readTree(manifest.toFile());
            if (m.path("format").asInt() != FORMAT) {
                throw new CatalogException(dir + " has catalog format " + m.path("format") + ", this version writes " + FORMAT
                        + "; import into a new folder");
            }
            Optional<EmbeddingModels> existing = manifestModel(m);
            if (!existing.equals(model)) {
                throw new CatalogException("catalog " + dir + " was built " + existing.map(e -> "with embedding model " + e.id()).orElse("without embeddings")
                        + " and cannot take functions " + model.map(e -> "embedded with " + e.id()).orElse("without embeddings")
                        + "; import " + existing.map(e -> "with --model " + e.id()).orElse("with --no-embeddings") + ", or into a new folder");
            }
        } catch (IOException e) {
            throw new CatalogException("cannot read " + manifest + " (" + e.getMessage() + "); import into a new folder", e);
        }
    }

    /** @param complete whether the import that writes it has finished (false while it runs, and after a kill) */
    private static void writeManifest(Path dir, Optional<EmbeddingModels> model, boolean complete) throws IOException {
        ObjectNode m = MAPPER.createObjectNode().put("format", FORMAT).put("complete", complete);
        model.ifPresentOrElse(e -> m.put("embeddingModel", e.id()).put("dimension", e.dimension()), () -> m.putNull("embeddingModel"));
        Path tmp = dir.resolve(MANIFEST + ".tmp");
        MAPPER.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), m);
        Files.move(tmp, dir.resolve(MANIFEST), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
