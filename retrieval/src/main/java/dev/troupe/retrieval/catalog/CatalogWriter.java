package dev.troupe.retrieval.catalog;

import static dev.troupe.retrieval.catalog.CatalogFields.ENDPOINT;
import static dev.troupe.retrieval.catalog.CatalogFields.FINGERPRINT;
import static dev.troupe.retrieval.catalog.CatalogFields.FUNCTION;
import static dev.troupe.retrieval.catalog.CatalogFields.FUNCTIONS;
import static dev.troupe.retrieval.catalog.CatalogFields.HEADER;
import static dev.troupe.retrieval.catalog.CatalogFields.KIND;
import static dev.troupe.retrieval.catalog.CatalogFields.PATH;
import static dev.troupe.retrieval.catalog.CatalogFields.SEQ;
import static dev.troupe.retrieval.catalog.CatalogFields.SKIPPED;
import static dev.troupe.retrieval.catalog.CatalogFields.SOURCE;
import static dev.troupe.retrieval.catalog.CatalogFields.SPEC;
import static dev.troupe.retrieval.catalog.CatalogFields.SPEC_KEY;
import static dev.troupe.retrieval.catalog.CatalogFields.TOOL_KEY;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.troupe.retrieval.EmbeddingModels;
import dev.troupe.retrieval.ToolIndex;
import dev.troupe.tools.error.CatalogException;
import dev.troupe.tools.function.FunctionNames;
import dev.troupe.tools.function.ToolFunction;
import dev.troupe.tools.importer.SkippedSpec;
import dev.troupe.tools.importer.SpecVisitor;
import dev.troupe.tools.spec.ApiSpec;
import dev.troupe.tools.spec.ApiSpecJson;
import dev.troupe.tools.spec.Endpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.store.Directory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;

/**
 * Streams an import into a catalog's index: each endpoint becomes a function document as it is read,
 * embeddings are computed a batch at a time, and the index commits every few thousand functions. A file's
 * record (its fingerprint, what it gave, what was skipped) is added after its functions, so a commit that
 * holds the record holds the whole file: an import killed at any point resumes with the files it had not
 * finished, and memory stays bounded by one document and one batch
 * whatever the size of the import.
 */
final class CatalogWriter implements SpecVisitor {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int BATCH = 64;
    private static final double RAM_BUFFER_MB = 64;

    /** What an earlier import recorded for a file. */
    record FileRecord(String fingerprint, int functions, List<SkippedSpec> skipped) {
    }

    private record Pending(ToolFunction function, String specKey, String source, long seq, Document document) {
    }

    private final IndexWriter writer;
    private final Optional<EmbeddingModels> model;
    private final ImportProgress progress;
    private final Map<Path, String> fingerprints;
    private final long commitEveryNanos;
    private final FunctionNames.Allocator names = new FunctionNames.Allocator();
    private final FunctionNames.Allocator toolKeys = new FunctionNames.Allocator(Integer.MAX_VALUE);
    private final Map<String, List<String>> namesBySource = new HashMap<>();
    private final Map<String, List<String>> toolKeysBySource = new HashMap<>();
    private final Map<String, FileRecord> records = new HashMap<>();
    private final List<Pending> pending = new ArrayList<>();
    private final List<SkippedSpec> skipped = new ArrayList<>();
    private final Instant start = Instant.now();
    private long seq;

    private String source;
    /** What the file being imported skipped; null between files. */
    private List<SkippedSpec> fileSkipped;
    private List<String> fileNames = new ArrayList<>();
    private List<String> fileToolKeys = new ArrayList<>();
    private int fileFunctions;
    private ApiSpec header;
    private String toolKey;

    private int pendingFunctions;
    private int indexed;
    private int reused;
    private long lastCommit = System.nanoTime();
    private int filesDone;
    private int filesTotal;
    private long bytesDone;
    private long bytesTotal;

    private CatalogWriter(IndexWriter writer, Optional<EmbeddingModels> model, ImportProgress progress, Map<Path, String> fingerprints,
            Duration commitEvery) {
        this.writer = writer;
        this.commitEveryNanos = commitEvery.toNanos();
        this.model = model;
        this.progress = progress;
        this.fingerprints = fingerprints;
    }

    /**
     * Opens the index for writing and learns what earlier imports left in it: names taken, files done.
     *
     * @param commitEvery how often to commit: a commit syncs files to disk, which costs, and a killed import
     *     redoes at most this much work
     */
    static CatalogWriter open(Directory directory, Optional<EmbeddingModels> model, ImportProgress progress,
            Map<Path, String> fingerprints, Duration commitEvery) throws IOException {
        IndexWriterConfig config = new IndexWriterConfig(ToolIndex.analyzer())
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                .setRAMBufferSizeMB(RAM_BUFFER_MB)
                .setCommitOnClose(false);
        CatalogWriter w = new CatalogWriter(new IndexWriter(directory, config), model, progress, fingerprints, commitEvery);
        if (DirectoryReader.indexExists(directory)) {
            try (DirectoryReader reader = DirectoryReader.open(directory)) {
                w.load(reader);
            }
        }
        return w;
    }

    private void load(DirectoryReader reader) throws IOException {
        for (LeafReaderContext leaf : reader.leaves()) {
            BinaryDocValues ids = leaf.reader().getBinaryDocValues(ToolIndex.ID);
            BinaryDocValues sources = leaf.reader().getBinaryDocValues(SOURCE);
            NumericDocValues seqs = leaf.reader().getNumericDocValues(SEQ);
            Bits live = leaf.reader().getLiveDocs();
            for (int d = 0; d < leaf.reader().maxDoc(); d++) {
                if (live != null && !live.get(d)) {
                    continue;
                }
                if (seqs != null && seqs.advanceExact(d)) {
                    seq = Math.max(seq, seqs.longValue() + 1);
                }
                if (ids != null && ids.advanceExact(d) && sources != null && sources.advanceExact(d)) {
                    String name = ids.binaryValue().utf8ToString();
                    names.reserve(name);
                    namesBySource.computeIfAbsent(sources.binaryValue().utf8ToString(), s -> new ArrayList<>()).add(name);
                }
            }
        }
        CatalogFields.forEach(reader, new Term(KIND, SPEC), (leaf, d) -> {
            Document doc = leaf.reader().storedFields().document(d);
            toolKeys.reserve(doc.get(TOOL_KEY));
            toolKeysBySource.computeIfAbsent(doc.get(SOURCE), s -> new ArrayList<>()).add(doc.get(TOOL_KEY));
        });
        CatalogFields.forEach(reader, new Term(KIND, CatalogFields.FILE), (leaf, d) -> {
            Document doc = leaf.reader().storedFields().document(d);
            List<SkippedSpec> reasons = new ArrayList<>();
            for (JsonNode s : MAPPER.readTree(doc.get(SKIPPED))) {
                reasons.add(new SkippedSpec(s.path("file").asText(), s.path("reason").asText()));
            }
            records.put(doc.get(PATH), new FileRecord(doc.get(FINGERPRINT), doc.getField(FUNCTIONS).numericValue().intValue(), reasons));
        });
    }

    /** What an earlier import recorded for {@code file}, if it is still up to date. */
    Optional<FileRecord> upToDate(Path file) {
        FileRecord r = records.get(file.toString());
        return r != null && r.fingerprint().equals(fingerprints.get(file)) ? Optional.of(r) : Optional.empty();
    }

    /** Counts a file found up to date, and reports what it skipped when it was imported. */
    void reuse(FileRecord record) {
        reused += record.functions();
        record.skipped().forEach(this::skipped);
        filesDone++;
        status();
    }

    /** The work ahead, for the progress figures. */
    void plan(int files, long bytes) {
        filesTotal = files;
        bytesTotal = bytes;
    }

    @Override
    public void fileStarted(Path file) {
        progress.readingFile(file);
        source = file.toString();
        fileSkipped = new ArrayList<>();
        fileNames = new ArrayList<>();
        fileToolKeys = new ArrayList<>();
        fileFunctions = 0;
        header = null;
        try {
            // What an earlier import of this file gave is replaced; its names are freed so they come back.
            writer.deleteDocuments(new Term(SOURCE, source), new Term(PATH, source));
        } catch (IOException e) {
            throw indexFailed(e);
        }
        namesBySource.getOrDefault(source, List.of()).forEach(names::release);
        toolKeysBySource.getOrDefault(source, List.of()).forEach(toolKeys::release);
        namesBySource.remove(source);
        toolKeysBySource.remove(source);
    }

    @Override
    public void spec(ApiSpec specHeader) {
        header = specHeader;
        toolKey = null;
    }

    @Override
    public void endpoint(Endpoint endpoint) {
        String specKey = header.source() + "\u0000" + header.name();
        if (toolKey == null) {
            toolKey = toolKeys.allocate(FunctionNames.standardize(header.name(), "tool"));
            fileToolKeys.add(toolKey);
            Document doc = new Document();
            doc.add(new StringField(KIND, SPEC, Field.Store.NO));
            doc.add(new StringField(SPEC_KEY, specKey, Field.Store.YES));
            addSource(doc, source);
            doc.add(new StoredField(TOOL_KEY, toolKey));
            doc.add(new StoredField(HEADER, ApiSpecJson.toJson(header).toString()));
            long specSeq = seq++;
            doc.add(new NumericDocValuesField(SEQ, specSeq));
            pending.add(new Pending(null, specKey, source, specSeq, doc));
        }
        String name = names.allocate(FunctionNames.functionName(endpoint.name(), header.name()));
        fileNames.add(name);
        pending.add(new Pending(ToolFunction.of(name, toolKey, header, endpoint), specKey, source, seq++, null));
        fileFunctions++;
        if (++pendingFunctions >= BATCH) {
            flush();
        }
    }

    @Override
    public void skipped(SkippedSpec s) {
        skipped.add(s);
        if (fileSkipped != null) {
            fileSkipped.add(s);
        }
        progress.skipped(s);
    }

    @Override
    public void fileFinished(Path file) {
        namesBySource.put(source, fileNames);
        toolKeysBySource.put(source, fileToolKeys);
        record(file, fileFunctions);
    }

    @Override
    public void fileFailed(Path file) {
        // Drop what the file gave: the part still waiting here, and the part already handed to the index.
        pending.removeIf(p -> p.source().equals(source));
        pendingFunctions = (int) pending.stream().filter(p -> p.function() != null).count();
        try {
            writer.deleteDocuments(new Term(SOURCE, source));
        } catch (IOException e) {
            throw indexFailed(e);
        }
        fileNames.forEach(names::release);
        fileToolKeys.forEach(toolKeys::release);
        record(file, 0);
    }

    private void record(Path file, int functions) {
        ArrayNode reasons = MAPPER.createArrayNode();
        fileSkipped.forEach(s -> reasons.addObject().put("file", s.file()).put("reason", s.reason()));
        Document doc = new Document();
        doc.add(new StringField(KIND, CatalogFields.FILE, Field.Store.NO));
        doc.add(new StringField(PATH, source, Field.Store.YES));
        doc.add(new StoredField(FINGERPRINT, fingerprints.getOrDefault(file, "")));
        doc.add(new StoredField(FUNCTIONS, functions));
        doc.add(new StoredField(SKIPPED, reasons.toString()));
        pending.add(new Pending(null, "", source, -1, doc));
        filesDone++;
        try {
            bytesDone += java.nio.file.Files.size(file);
        } catch (IOException e) {
            // The size only feeds the progress figures.
        }
        fileSkipped = null;
        status();
        if (System.nanoTime() - lastCommit >= commitEveryNanos) {
            flush();
        }
    }

    /** Embeds the waiting functions in one batch and hands them, with the waiting records, to the index. */
    private void flush() {
        List<ToolFunction> functions = pending.stream().map(Pending::function).filter(f -> f != null).toList();
        List<float[]> vectors;
        try {
            vectors = model.isPresent() && !functions.isEmpty() ? ToolIndex.embed(model.get(), functions) : List.of();
        } catch (RuntimeException e) {
            throw new CatalogException("embedding functions with " + model.get().id() + " failed (" + e.getMessage()
                    + "); the files imported so far are kept: run the import again to resume", e);
        }
        try {
            int v = 0;
            for (Pending p : pending) {
                Document doc = p.document();
                if (p.function() != null) {
                    doc = ToolIndex.document(p.function(), vectors.isEmpty() ? null : vectors.get(v++));
                    doc.add(new StringField(KIND, FUNCTION, Field.Store.NO));
                    doc.add(new StringField(SPEC_KEY, p.specKey(), Field.Store.YES));
                    addSource(doc, p.source());
                    doc.add(new StoredField(TOOL_KEY, p.function().toolKey()));
                    doc.add(new StoredField(ENDPOINT, ApiSpecJson.toJson(p.function().endpoint()).toString()));
                    doc.add(new NumericDocValuesField(SEQ, p.seq()));
                }
                writer.addDocument(doc);
            }
            pending.clear();
            pendingFunctions = 0;
            indexed += functions.size();
            if (System.nanoTime() - lastCommit >= commitEveryNanos) {
                writer.commit();
                lastCommit = System.nanoTime();
            }
        } catch (IOException e) {
            throw indexFailed(e);
        }
        progress.indexed(indexed, indexed);
        status();
    }

    /** Lucene wants one shape per field across documents, so functions and specs carry the source alike. */
    private static void addSource(Document doc, String source) {
        doc.add(new StringField(SOURCE, source, Field.Store.YES));
        doc.add(new BinaryDocValuesField(SOURCE, new BytesRef(source)));
    }

    private void status() {
        progress.status(new ImportStatus(filesDone, filesTotal, bytesDone, bytesTotal, indexed, reused, skipped.size(),
                Duration.between(start, Instant.now())));
    }

    /**
     * Indexes what is still waiting and commits: the import is complete. The index is then merged into one
     * segment, because each segment is searched on its own (a vector query walks one graph per segment); an
     * import stopped during the merge keeps its last commit, whole.
     */
    void finish() throws IOException {
        flush();
        writer.commit();
        writer.forceMerge(1);
        writer.commit();
        writer.close();
    }

    /** Drops what was not committed (the next import resumes from the last commit). */
    /**
     * The index itself failed (a full disk, a lost folder): the import stops, where a bad spec only skips
     * its file, so no file is recorded as imported with what it did not give.
     */
    private CatalogException indexFailed(IOException e) {
        return new CatalogException("writing the catalog index failed (" + e.getMessage()
                + "); check free disk space and permissions, then run the import again to resume", e);
    }

    void abandon() {
        try {
            writer.rollback();
        } catch (IOException e) {
            // Rolling back only releases the writer; the last commit stays as it was.
        }
    }

    int indexed() {
        return indexed;
    }

    int reused() {
        return reused;
    }

    List<SkippedSpec> skippedSpecs() {
        return skipped;
    }
}
