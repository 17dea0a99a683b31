package dev.troupe.retrieval;

import java.util.Locale;

/** How the retriever ranks: lexical BM25, dense embeddings, or the two fused. */
public enum SearchMode {
    /** Lucene BM25 over the English-analysed document text, tool and API names boosted. */
    BM25,
    /** Cosine similarity of sentence embeddings (a function's vector joins two views of it). */
    DENSE,
    /**
     * BM25 (of the whole request plus its best-matching sentence) and dense scores (of the whole request plus
     * its best-matching need), each min-max normalised over its candidates and averaged with equal weights;
     * then, when the request's needs point at one tool, each function's score averaged with its tool's best,
     * so the functions of the API that fits rank together, and when they point at several, those tools
     * taking turns, so each need is represented.
     */
    HYBRID,
    /** Reciprocal rank fusion of the same BM25 and dense lists (k = 60, the constant of Cormack et al.). */
    RRF;

    public boolean needsEmbeddings() {
        return this != BM25;
    }

    /** Parses a CLI value such as {@code bm25} or {@code hybrid}. */
    public static SearchMode parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown search mode '" + text + "'; use bm25, dense, hybrid or rrf", e);
        }
    }
}
