package dev.troupe.retrieval;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.base.Throwables;
import dev.langchain4j.data.segment.TextSegment;
import dev.troupe.tools.error.CatalogException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.FieldExistsQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryRescorer;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TotalHits;
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
    /**
     * Distinct terms of the whole query, and of its sentences together: with two fields per term both stay
     * under Lucene's limit of 1,024 clauses in one query.
     */
    private static final int MAX_QUERY_TERMS = 250;
    private static final int MAX_SENTENCES = 32;
    /**
     * Needs embedded apart (see {@link #denseByNeed}). Each adds to the one batch the model embeds, so they
     * are bounded: eight sentences is a long request (G1's have two to five), and a longer text is still
     * embedded whole.
     */
    private static final int MAX_NEEDS = 8;
    /** Where a request's sentences (or lines) end. */
    /**
     * A sentence that asks for something: a question, or one that opens with a request or with a word that
     * adds one ("Also, …"). A generic list of English request openers, written down before any scoring and
     * not tuned: the asker's story ("I'm planning a trip.") and thanks ask for nothing.
     */
    private static final Pattern ASKS = Pattern.compile("\\?\\s*$|^\\W*(please|also|additionally|furthermore|moreover|besides|plus|and|then|"
            + "can|could|would|will|i need|i'd like|i would like|get|find|fetch|provide|suggest|recommend|tell|give|show|list|search|check|retrieve|help)\\b",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.?!])\\s+|\\R+");

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
            List<Scored> ranked = switch (mode) {
                case BM25 -> bm25(query, k);
                case DENSE -> dense(query, k);
                case HYBRID -> hybrid(query, k);
                case RRF -> bothLists(query, candidates(k), true).fused();
            };
            return ranked.stream().limit(k).map(h -> new SearchHit(h.name(), h.score())).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("searching the tool index failed", e);
        }
    }

    /**
     * The BM25 and dense candidates, fused. Embedding the query is most of a hybrid search's time, so
     * BM25 runs meanwhile on a thread of its own: a platform thread, because a virtual one waits for a
     * free carrier, and the application may hold every carrier in blocking reads (process pipes, as an
     * MCP stdio client's readers do), which would leave the search waiting for ever.
     */
    private Fused bothLists(String query, int candidates, boolean reciprocalRank) throws IOException {
        FutureTask<List<Scored>> lexical = new FutureTask<>(() -> bm25BySentence(query, candidates));
        Thread.ofPlatform().daemon().name("troupe-bm25").start(lexical);
        DenseByNeed dense = denseByNeed(query, candidates);
        try {
            return new Fused(fuse(lexical.get(), dense.ranked(), reciprocalRank), dense.needs(), dense.needBest());
        } catch (ExecutionException e) {
            Throwables.throwIfInstanceOf(e.getCause(), IOException.class);
            Throwables.throwIfUnchecked(e.getCause());
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            lexical.cancel(true);
            Thread.currentThread().interrupt();
            throw new CatalogException("the search was interrupted");
        }
    }

    /** The fused list, and the needs of the request with the document that fits each best (both empty for one need). */
    private record Fused(List<Scored> fused, List<String> needs, List<Integer> needBest) {
    }

    /**
     * The fused list, then: when the request's needs point at one tool (or it has one need), that tool's
     * functions ranked together ({@link #groupByTool}), as for a single-tool request; when they point at
     * several, those tools take turns ({@link #takeTurns}), so the second and third tool a request needs
     * are not crowded out by the first one's siblings. A need points at the tool of the function that fits
     * it best (by embedding) if that function is already among the request's top {@code k}: a need that
     * fits nothing the request wants points nowhere.
     */
    private List<Scored> hybrid(String query, int k) throws IOException {
        Fused both = bothLists(query, candidates(k), false);
        Map<Integer, String> top = new HashMap<>();
        for (Scored hit : both.fused().subList(0, Math.min(k, both.fused().size()))) {
            top.put(hit.doc(), hit.name());
        }
        Set<String> needed = new LinkedHashSet<>();
        for (int i = 0; i < both.needs().size(); i++) {
            int doc = both.needBest().get(i);
            if (top.containsKey(doc)) {
                needed.add(toolOf(doc, top.get(doc)));
            }
        }
        return needed.size() < 2 ? groupByTool(both.fused()) : takeTurns(both.fused(), needed);
    }

    /**
     * The tools the needs point at take turns, in the order of their best function: each one's best, then
     * each one's second, and so on, each tool's functions in fused order; the other candidates follow in
     * fused order.
     */
    private List<Scored> takeTurns(List<Scored> fused, Set<String> needed) throws IOException {
        Map<String, List<Scored>> byTool = new LinkedHashMap<>();
        List<Scored> rest = new ArrayList<>();
        for (Scored hit : fused) {
            String tool = toolOf(hit.doc(), hit.name());
            if (needed.contains(tool)) {
                byTool.computeIfAbsent(tool, t -> new ArrayList<>()).add(hit);
            } else {
                rest.add(hit);
            }
        }
        List<Scored> out = new ArrayList<>(fused.size());
        for (int turn = 0; out.size() + rest.size() < fused.size(); turn++) {
            for (List<Scored> functions : byTool.values()) {
                if (turn < functions.size()) {
                    out.add(functions.get(turn));
                }
            }
        }
        out.addAll(rest);
        return out;
    }

    /** A function's tool key, or a key of its own when it has none. */
    private String toolOf(int doc, String name) throws IOException {
        List<LeafReaderContext> leaves = reader.leaves();
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        SortedDocValues keys = leaf.reader().getSortedDocValues(ToolIndex.TOOL);
        return keys != null && keys.advanceExact(doc - leaf.docBase) ? keys.lookupOrd(keys.ordValue()).utf8ToString() : "\u0000" + name;
    }

    /** A function found by a ranker: its Lucene document, name and score. */
    record Scored(int doc, String name, double score) {
        static final Comparator<Scored> BEST_FIRST = Comparator.comparingDouble(Scored::score).reversed().thenComparing(Scored::name);
    }

    private int candidates(int k) {
        return Math.max(MIN_CANDIDATES, k * 10);
    }

    /** Plain BM25 of the whole request over the text and the boosted names. */
    List<Scored> bm25(String query, int k) throws IOException {
        Set<String> terms = analyze(query, MAX_QUERY_TERMS);
        return terms.isEmpty() ? List.of() : hits(searcher.search(termsQuery(terms), k));
    }

    /**
     * The lexical list of the fusions: BM25 of the whole request plus BM25 of the one sentence a function
     * matches best. A request of several sentences often asks for several things, each answered by another
     * function; scored as one bag of words, a function that touches every part a little can outrank those
     * that answer one part well.
     *
     * <p>One Lucene query with a disjunction-max over the sentences would say this exactly, but it defeats
     * Lucene's top-k pruning (about 7× slower than plain BM25 over 125,000 functions). So the candidates
     * are the top {@code k} of the whole request and of each sentence, each a pruned search, and only they
     * are scored exactly by that query (a rescoring pass that visits just their documents). Over the G1
     * queries on the 125,200-function catalog, 99.9% of this top 100 is the exact query's top 100.
     */
    List<Scored> bm25BySentence(String query, int k) throws IOException {
        Set<String> all = analyze(query, MAX_QUERY_TERMS);
        if (all.isEmpty()) {
            return List.of();
        }
        Query whole = termsQuery(all);
        List<Query> sentences = new ArrayList<>();
        int budget = MAX_QUERY_TERMS;
        for (String sentence : SENTENCE_END.split(query)) {
            if (budget <= 0 || sentences.size() == MAX_SENTENCES) {
                break;
            }
            Set<String> terms = analyze(sentence, budget);
            if (!terms.isEmpty()) {
                sentences.add(termsQuery(terms));
                budget -= terms.size();
            }
        }
        TopDocs wholeTop = searcher.search(whole, k);
        if (sentences.size() < 2) {
            return hits(wholeTop);
        }
        Map<Integer, ScoreDoc> candidates = new LinkedHashMap<>();
        for (ScoreDoc sd : wholeTop.scoreDocs) {
            candidates.putIfAbsent(sd.doc, sd);
        }
        for (Query sentence : sentences) {
            for (ScoreDoc sd : searcher.search(sentence, k).scoreDocs) {
                candidates.putIfAbsent(sd.doc, sd);
            }
        }
        Query exact = new BooleanQuery.Builder()
                .add(whole, BooleanClause.Occur.SHOULD)
                .add(new DisjunctionMaxQuery(sentences, 0f), BooleanClause.Occur.SHOULD)
                .build();
        TopDocs first = new TopDocs(new TotalHits(candidates.size(), TotalHits.Relation.EQUAL_TO), candidates.values().toArray(new ScoreDoc[0]));
        return hits(new QueryRescorer(exact) {
            @Override
            protected float combine(float firstPassScore, boolean secondPassMatches, float secondPassScore) {
                return secondPassMatches ? secondPassScore : 0f;
            }
        }.rescore(searcher, first, k));
    }

    private static Query termsQuery(Set<String> terms) {
        BooleanQuery.Builder q = new BooleanQuery.Builder();
        for (String term : terms) {
            q.add(new TermQuery(new Term(ToolIndex.TEXT, term)), BooleanClause.Occur.SHOULD);
            q.add(new BoostQuery(new TermQuery(new Term(ToolIndex.NAMES, term)), NAME_BOOST), BooleanClause.Occur.SHOULD);
        }
        return q.build();
    }

    List<Scored> dense(String query, int k) throws IOException {
        EmbeddingModels m = model.orElseThrow();
        float[] vector = ToolIndex.normalise(m.model().embed(m.queryText(query)).content().vector());
        Query q = new KnnFloatVectorQuery(ToolIndex.VECTOR, vector, Math.min(k, Math.max(1, size())));
        return hits(searcher.search(q, k));
    }

    /**
     * The dense list of the fusions, the mirror of {@link #bm25BySentence}: a function's score is its cosine
     * to the whole request plus its best cosine to one of the request's needs (its sentences, at most
     * {@value #MAX_NEEDS}). A request that joins several asks is embedded as a blend of them, near none; each
     * need embedded alone finds its own functions. The request and its needs are embedded in one batch; the
     * candidates are the top {@code k} of each vector, scored exactly against all of them.
     */
    DenseByNeed denseByNeed(String query, int k) throws IOException {
        List<String> needs = needs(query);
        if (needs.size() < 2) {
            return new DenseByNeed(dense(query, k), List.of(), List.of());
        }
        EmbeddingModels m = model.orElseThrow();
        List<TextSegment> texts = new ArrayList<>(needs.size() + 1);
        texts.add(TextSegment.from(m.queryText(query)));
        needs.forEach(need -> texts.add(TextSegment.from(m.queryText(need))));
        List<float[]> vectors = m.model().embedAll(texts).content().stream().map(e -> ToolIndex.normalise(e.vector())).toList();
        TreeSet<Integer> docs = new TreeSet<>();
        for (float[] vector : vectors) {
            for (ScoreDoc sd : searcher.search(new KnnFloatVectorQuery(ToolIndex.VECTOR, vector, Math.min(k, Math.max(1, size()))), k).scoreDocs) {
                docs.add(sd.doc);
            }
        }
        List<ScoreDoc> scored = new ArrayList<>(docs.size());
        int[] needBest = new int[needs.size()];
        double[] needBestScore = new double[needs.size()];
        Arrays.fill(needBestScore, Double.NEGATIVE_INFINITY);
        List<LeafReaderContext> leaves = reader.leaves();
        LeafReaderContext leaf = null;
        FloatVectorValues values = null;
        KnnVectorValues.DocIndexIterator iterator = null;
        for (int doc : docs) {
            LeafReaderContext at = leaves.get(ReaderUtil.subIndex(doc, leaves));
            if (at != leaf) {
                leaf = at;
                values = leaf.reader().getFloatVectorValues(ToolIndex.VECTOR);
                iterator = values == null ? null : values.iterator();
            }
            if (iterator == null || iterator.docID() > doc - leaf.docBase || iterator.advance(doc - leaf.docBase) != doc - leaf.docBase) {
                continue;
            }
            float[] v = values.vectorValue(iterator.index());
            double best = Double.NEGATIVE_INFINITY;
            for (int i = 1; i < vectors.size(); i++) {
                double cosine = dot(v, vectors.get(i));
                best = Math.max(best, cosine);
                if (cosine > needBestScore[i - 1]) {
                    needBestScore[i - 1] = cosine;
                    needBest[i - 1] = doc;
                }
            }
            scored.add(new ScoreDoc(doc, (float) (dot(v, vectors.get(0)) + best)));
        }
        scored.sort(Comparator.comparingDouble((ScoreDoc sd) -> sd.score).reversed());
        return new DenseByNeed(hits(new TopDocs(new TotalHits(scored.size(), TotalHits.Relation.EQUAL_TO),
                scored.subList(0, Math.min(k, scored.size())).toArray(new ScoreDoc[0]))), needs, Arrays.stream(needBest).boxed().toList());
    }

    /** The dense list, and for a request of several needs, each need with the document that fits it best. */
    record DenseByNeed(List<Scored> ranked, List<String> needs, List<Integer> needBest) {
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    /**
     * A request's needs: its sentences (or lines) that ask for something ({@link #ASKS}) and hold a searchable
     * word, at most {@value #MAX_NEEDS}.
     */
    List<String> needs(String query) throws IOException {
        List<String> out = new ArrayList<>();
        for (String sentence : SENTENCE_END.split(query)) {
            if (out.size() == MAX_NEEDS) {
                break;
            }
            if (ASKS.matcher(sentence.strip()).find() && !analyze(sentence, 1).isEmpty()) {
                out.add(sentence.strip());
            }
        }
        return out;
    }

    /** Min-max normalised score fusion with equal weights, or reciprocal rank fusion; best first. */
    static List<Scored> fuse(List<Scored> lexical, List<Scored> dense, boolean reciprocalRank) {
        Map<String, Scored> fused = new HashMap<>();
        for (List<Scored> list : List.of(lexical, dense)) {
            if (list.isEmpty()) {
                continue;
            }
            double max = list.get(0).score();
            double min = list.get(list.size() - 1).score();
            for (int rank = 0; rank < list.size(); rank++) {
                Scored hit = list.get(rank);
                double part = reciprocalRank ? 1.0 / (RRF_K + rank + 1)
                        : 0.5 * (max > min ? (hit.score() - min) / (max - min) : 1.0);
                fused.merge(hit.name(), new Scored(hit.doc(), hit.name(), part), (a, b) -> new Scored(a.doc(), a.name(), a.score() + b.score()));
            }
        }
        return fused.values().stream().sorted(Scored.BEST_FIRST).toList();
    }

    /**
     * Ranks the functions of a tool together: each candidate's score becomes the mean of its own and the
     * best of its tool's (so it stays within [0, 1]). The
     * functions a request needs usually belong to one API (a weather API's forecast and its alerts), so
     * once one of them fits the request well, its siblings that fit less clearly move up past other APIs'
     * near misses. Within a tool the order is unchanged; a candidate without a tool key stands alone.
     */
    List<Scored> groupByTool(List<Scored> ranked) throws IOException {
        List<String> tools = new ArrayList<>(ranked.size());
        Map<String, Double> best = new HashMap<>();
        for (Scored hit : ranked) {
            String tool = toolOf(hit.doc(), hit.name());
            tools.add(tool);
            best.merge(tool, hit.score(), Math::max);
        }
        List<Scored> out = new ArrayList<>(ranked.size());
        for (int i = 0; i < ranked.size(); i++) {
            Scored hit = ranked.get(i);
            out.add(new Scored(hit.doc(), hit.name(), (hit.score() + best.get(tools.get(i))) / 2));
        }
        out.sort(Scored.BEST_FIRST);
        return out;
    }

    private List<Scored> hits(TopDocs top) throws IOException {
        List<Scored> out = new ArrayList<>();
        List<LeafReaderContext> leaves = reader.leaves();
        for (ScoreDoc sd : top.scoreDocs) {
            // Doc values, not stored fields: a hit list of 100 would otherwise decompress 100 stored blocks.
            LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(sd.doc, leaves));
            BinaryDocValues ids = leaf.reader().getBinaryDocValues(ToolIndex.ID);
            if (ids == null || !ids.advanceExact(sd.doc - leaf.docBase)) {
                throw new CatalogException("the tool index has a function without its name; import the specs again into a new folder");
            }
            out.add(new Scored(sd.doc, ids.binaryValue().utf8ToString(), sd.score));
        }
        out.sort(Scored.BEST_FIRST);
        return out;
    }

    private Set<String> analyze(String text, int maxTerms) throws IOException {
        Set<String> terms = new LinkedHashSet<>();
        try (TokenStream stream = analyzer.tokenStream(ToolIndex.TEXT, ToolIndex.splitIdentifiers(text))) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken() && terms.size() < maxTerms) {
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
