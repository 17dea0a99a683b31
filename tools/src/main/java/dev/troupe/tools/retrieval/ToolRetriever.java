package dev.troupe.tools.retrieval;

import static com.google.common.base.Preconditions.checkArgument;

import dev.troupe.tools.error.CatalogException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.FieldExistsQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;

/**
 * Finds the functions that fit a request in an index written by {@link ToolIndex}: BM25, dense
 * embeddings, or both fused (see {@link SearchMode}); thread-safe, one per opened index.
 */
public final class ToolRetriever implements AutoCloseable {
    /** Tool and API names say more than a description; one generic boost, not tuned per query. */
    private static final float NAME_BOOST = 2.0f;
    /** Reciprocal rank fusion's constant from Cormack, Clarke and Büttcher (SIGIR 2009). */
    private static final int RRF_K = 60;
    /** Candidates taken from each ranker before fusing. */
    private static final int MIN_CANDIDATES = 100;
    private static final int MAX_QUERY_TERMS = 512;

    private final DirectoryReader reader;
    private final IndexSearcher searcher;
    private final Analyzer analyzer = ToolIndex.analyzer();
    private final Optional<EmbeddingModels> model;
    private final int size;

    private ToolRetriever(DirectoryReader reader, Optional<EmbeddingModels> model) {
        this.reader = reader;
        this.searcher = new IndexSearcher(reader);
        this.model = model;
        try {
            this.size = searcher.count(new FieldExistsQuery(ToolIndex.ID));
        } catch (IOException e) {
            throw new UncheckedIOException("counting the functions of the tool index failed", e);
        }
    }

    /**
     * Opens an index; {@code model} must be the one its vectors were made with (empty for a text-only index).
     */
    public static ToolRetriever open(Directory directory, Optional<EmbeddingModels> model) throws IOException {
        return new ToolRetriever(DirectoryReader.open(directory), model);
    }

    /** Searches an opened reader, which the retriever then owns and closes; the index may hold other documents beside functions. */
    public static ToolRetriever open(DirectoryReader reader, Optional<EmbeddingModels> model) {
        return new ToolRetriever(reader, model);
    }

    /** How many functions the index holds. */
    public int size() {
        return size;
    }

    public List<SearchHit> search(String query, int k, SearchMode mode) {
        checkArgument(k > 0, "k must be positive, got %s", k);
        if (mode.needsEmbeddings() && model.isEmpty()) {
            throw new CatalogException("this index has no embeddings, so only bm25 search works; re-import with an embedding model for "
                    + mode.name().toLowerCase(java.util.Locale.ROOT));
        }
        try {
            return switch (mode) {
                case BM25 -> bm25(query, k);
                case DENSE -> dense(query, k);
                case HYBRID -> fuse(bm25(query, candidates(k)), dense(query, candidates(k)), k, false);
                case RRF -> fuse(bm25(query, candidates(k)), dense(query, candidates(k)), k, true);
            };
        } catch (IOException e) {
            throw new UncheckedIOException("searching the tool index failed", e);
        }
    }

    private int candidates(int k) {
        return Math.max(MIN_CANDIDATES, k * 10);
    }

    List<SearchHit> bm25(String query, int k) throws IOException {
        Set<String> terms = analyze(query);
        if (terms.isEmpty()) {
            return List.of();
        }
        BooleanQuery.Builder q = new BooleanQuery.Builder();
        for (String term : terms) {
            q.add(new TermQuery(new Term(ToolIndex.TEXT, term)), BooleanClause.Occur.SHOULD);
            q.add(new BoostQuery(new TermQuery(new Term(ToolIndex.NAMES, term)), NAME_BOOST), BooleanClause.Occur.SHOULD);
        }
        return hits(searcher.search(q.build(), k));
    }

    List<SearchHit> dense(String query, int k) throws IOException {
        EmbeddingModels m = model.orElseThrow();
        float[] vector = ToolIndex.normalise(m.model().embed(m.queryText(query)).content().vector());
        Query q = new KnnFloatVectorQuery(ToolIndex.VECTOR, vector, Math.min(k, Math.max(1, size())));
        return hits(searcher.search(q, k));
    }

    /** Min-max normalised score fusion with equal weights, or reciprocal rank fusion. */
    static List<SearchHit> fuse(List<SearchHit> lexical, List<SearchHit> dense, int k, boolean reciprocalRank) {
        Map<String, Double> fused = new HashMap<>();
        for (List<SearchHit> list : List.of(lexical, dense)) {
            if (list.isEmpty()) {
                continue;
            }
            double max = list.get(0).score();
            double min = list.get(list.size() - 1).score();
            for (int rank = 0; rank < list.size(); rank++) {
                SearchHit hit = list.get(rank);
                double part = reciprocalRank ? 1.0 / (RRF_K + rank + 1)
                        : 0.5 * (max > min ? (hit.score() - min) / (max - min) : 1.0);
                fused.merge(hit.functionName(), part, Double::sum);
            }
        }
        return fused.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(k).map(e -> new SearchHit(e.getKey(), e.getValue())).toList();
    }

    private List<SearchHit> hits(TopDocs top) throws IOException {
        List<SearchHit> out = new ArrayList<>();
        List<LeafReaderContext> leaves = reader.leaves();
        for (ScoreDoc sd : top.scoreDocs) {
            // Doc values, not stored fields: a hit list of 100 would otherwise decompress 100 stored blocks.
            LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(sd.doc, leaves));
            BinaryDocValues ids = leaf.reader().getBinaryDocValues(ToolIndex.ID);
            if (ids == null || !ids.advanceExact(sd.doc - leaf.docBase)) {
                throw new CatalogException("the tool index has a function without its name; import the specs again into a new folder");
            }
            out.add(new SearchHit(ids.binaryValue().utf8ToString(), sd.score));
        }
        out.sort(Comparator.comparingDouble(SearchHit::score).reversed().thenComparing(SearchHit::functionName));
        return out;
    }

    private Set<String> analyze(String text) throws IOException {
        Set<String> terms = new LinkedHashSet<>();
        try (TokenStream stream = analyzer.tokenStream(ToolIndex.TEXT, ToolIndex.splitIdentifiers(text))) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken() && terms.size() < MAX_QUERY_TERMS) {
                terms.add(term.toString());
            }
            stream.end();
        }
        return terms;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
