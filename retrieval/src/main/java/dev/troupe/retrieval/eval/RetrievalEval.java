package dev.troupe.retrieval.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.troupe.retrieval.EmbeddingModels;
import dev.troupe.retrieval.SearchHit;
import dev.troupe.retrieval.SearchMode;
import dev.troupe.retrieval.ToolIndex;
import dev.troupe.retrieval.ToolRetriever;
import dev.troupe.tools.error.SpecException;
import dev.troupe.tools.function.ToolFunction;
import dev.troupe.tools.function.ToolFunctions;
import dev.troupe.tools.importer.SkippedSpec;
import dev.troupe.tools.importer.SpecImporter;
import com.google.common.hash.Hashing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * Scores retrieval on StableToolBench query files the way ToolLLM does: per file, the corpus is the
 * union of its queries' {@code api_list} entries, the labels are each query's {@code relevant APIs}, and
 * NDCG@1/3/5 is averaged over its queries.
 */
public final class RetrievalEval {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RetrievalEval() {
    }

    /** Scores each file under {@code mode} with the default embedding model ({@link EmbeddingModels#DEFAULT}). */
    public static List<FileScores> run(List<Path> files, SearchMode mode) {
        return run(files, mode, EmbeddingModels.DEFAULT);
    }

    /** Scores each file under each mode; the corpus of a file is indexed (and embedded) once for all modes. */
    public static List<FileScores> run(List<Path> files, List<SearchMode> modes, EmbeddingModels model) {
        return run(files, modes, model, Optional.empty());
    }

    /**
     * As {@link #run(List, List, EmbeddingModels)}, keeping each corpus's index in a folder of {@code indexCache}
     * named after the corpus and the model: a later run, or another file with the same corpus (a
     * {@link MultiToolSet} file and its source), reuses the embeddings instead of computing them again.
     */
    public static List<FileScores> run(List<Path> files, List<SearchMode> modes, EmbeddingModels model, Optional<Path> indexCache) {
        List<FileScores> out = new ArrayList<>();
        boolean dense = modes.stream().anyMatch(SearchMode::needsEmbeddings);
        for (Path file : files) {
            List<SkippedSpec> skipped = new ArrayList<>();
            ToolFunctions functions = ToolFunctions.of(SpecImporter.importFile(file, skipped));
            Map<String, String> byToolAndApi = new HashMap<>();
            for (ToolFunction f : functions.all()) {
                byToolAndApi.putIfAbsent(f.tool().name() + "\u0000" + f.endpoint().name(), f.name());
            }
            List<Query> queries = queries(file, byToolAndApi);
            try (Directory directory = directory(indexCache, functions, dense ? model.id() : "text-only")) {
                ToolIndex.sync(directory, functions.all(), dense ? Optional.of(model) : Optional.empty(), (a, b) -> { });
                try (ToolRetriever retriever = ToolRetriever.open(directory, dense ? Optional.of(model) : Optional.empty())) {
                    for (SearchMode mode : modes) {
                        out.add(score(file, mode, model, queries, retriever, functions.size()));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("indexing " + file + " in memory failed", e);
            }
        }
        return out;
    }

    public static List<FileScores> run(List<Path> files, SearchMode mode, EmbeddingModels model) {
        return run(files, List.of(mode), model);
    }

    private static Directory directory(Optional<Path> cache, ToolFunctions functions, String model) throws IOException {
        if (cache.isEmpty()) {
            return new ByteBuffersDirectory();
        }
        List<String> names = functions.all().stream().map(ToolFunction::name).sorted().toList();
        String key = Hashing.murmur3_128().hashString(model + "\n" + String.join("\n", names), StandardCharsets.UTF_8).toString();
        return FSDirectory.open(cache.get().resolve(model + "-" + key.substring(0, 16)));
    }

    private record Query(String text, Set<String> relevant) {
    }

    private static FileScores score(Path file, SearchMode mode, EmbeddingModels model, List<Query> queries,
            ToolRetriever retriever, int corpus) {
        double n1 = 0;
        double n3 = 0;
        double[] n5 = new double[2];
        for (int i = 0; i < queries.size(); i++) {
            Query q = queries.get(i);
            List<String> ranked = retriever.search(q.text(), 5, mode).stream().map(SearchHit::functionName).toList();
            n1 += Ndcg.at(1, ranked, q.relevant());
            n3 += Ndcg.at(3, ranked, q.relevant());
            n5[i % 2] += Ndcg.at(5, ranked, q.relevant());
        }
        int n = Math.max(1, queries.size());
        int even = Math.max(1, (queries.size() + 1) / 2);
        int odd = Math.max(1, queries.size() / 2);
        String modeName = mode.name().toLowerCase(java.util.Locale.ROOT) + (mode.needsEmbeddings() ? " (" + model.id() + ")" : "");
        return new FileScores(file.getFileName().toString(), modeName, queries.size(), corpus,
                100 * n1 / n, 100 * n3 / n, 100 * (n5[0] + n5[1]) / n, 100 * n5[0] / even, 100 * n5[1] / odd);
    }

    /** The list of queries of a StableToolBench query file, or an error that says what to pass instead. */
    static JsonNode queryList(Path file) {
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new SpecException(file.toString(), "cannot be read as JSON (" + e.getMessage() + ")",
                    "pass a StableToolBench query file such as G1_instruction.json", e);
        }
        if (!root.isArray()) {
            throw new SpecException(file, "not a StableToolBench query file (expected a list of queries)",
                    "pass a file such as G1_instruction.json");
        }
        return root;
    }

    private static List<Query> queries(Path file, Map<String, String> byToolAndApi) {
        JsonNode root = queryList(file);
        List<Query> out = new ArrayList<>();
        int index = 0;
        for (JsonNode q : root) {
            Set<String> relevant = new HashSet<>();
            for (JsonNode pair : q.path("relevant APIs")) {
                String id = byToolAndApi.get(pair.path(0).asText() + "\u0000" + pair.path(1).asText());
                if (id == null) {
                    throw new SpecException(file, "query [" + index + "] labels " + pair + " as relevant, but no api_list entry of the file has that tool and API",
                            "fix the label or the api_list");
                }
                relevant.add(id);
            }
            if (!q.path("query").isTextual() || relevant.isEmpty()) {
                throw new SpecException(file, "query [" + index + "] has no 'query' text or no 'relevant APIs'",
                        "every entry needs both to be scored");
            }
            out.add(new Query(q.get("query").asText(), relevant));
            index++;
        }
        return out;
    }
}
