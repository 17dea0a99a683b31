package dev.troupe.retrieval.eval;

/**
 * NDCG@1, @3 and @5 (as percentages, averaged over queries) of one query file under one mode.
 *
 * @param file the query file's name
 * @param mode the search mode, as the CLI spells it
 * @param queries how many queries were scored
 * @param corpusSize how many distinct APIs the file's corpus holds
 * @param ndcg1 mean NDCG@1 × 100
 * @param ndcg3 mean NDCG@3 × 100
 * @param ndcg5 mean NDCG@5 × 100
 * @param ndcg5Even mean NDCG@5 × 100 over the file's queries at even positions (0, 2, 4…)
 * @param ndcg5Odd mean NDCG@5 × 100 over those at odd positions: with {@code ndcg5Even}, a check that a
 *     change helps both halves of a file and not a few queries
 */
public record FileScores(String file, String mode, int queries, int corpusSize, double ndcg1, double ndcg3, double ndcg5,
        double ndcg5Even, double ndcg5Odd) {
    /** One Markdown table row: {@code | file | mode | @1 | @3 | @5 |}. */
    public String markdownRow() {
        return String.format(java.util.Locale.ROOT, "| %s | %s | %.1f | %.1f | %.1f |", file, mode, ndcg1, ndcg3, ndcg5);
    }

    /** One Markdown table row of the split check: {@code | file | mode | @5 even | @5 odd |}. */
    public String halvesRow() {
        return String.format(java.util.Locale.ROOT, "| %s | %s | %.1f | %.1f |", file, mode, ndcg5Even, ndcg5Odd);
    }
}
