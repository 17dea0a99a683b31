package dev.troupe.retrieval.eval;

import java.util.List;
import java.util.Set;

/** NDCG@k with binary relevance, as ToolLLM reports retrieval (its Table 2): DCG = Σ rel_i / log2(i + 1). */
public final class Ndcg {
    private Ndcg() {
    }

    /**
     * @param ranked the retrieved ids, best first
     * @param relevant the ids labelled relevant
     * @return NDCG@k in [0, 1]; 0 when nothing is relevant
     */
    public static double at(int k, List<String> ranked, Set<String> relevant) {
        if (relevant.isEmpty()) {
            return 0;
        }
        double dcg = 0;
        for (int i = 0; i < Math.min(k, ranked.size()); i++) {
            if (relevant.contains(ranked.get(i))) {
                dcg += 1 / log2(i + 2);
            }
        }
        double ideal = 0;
        for (int i = 0; i < Math.min(k, relevant.size()); i++) {
            ideal += 1 / log2(i + 2);
        }
        return dcg / ideal;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
