package dev.troupe.retrieval.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import dev.troupe.retrieval.SearchMode;
import dev.troupe.retrieval.catalog.ToolCatalog;
import dev.troupe.tools.error.SpecException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Times a catalog as a user meets it: how long it takes to open, to answer its first query (which loads the
 * embedding model), and then each query of a fixed set, per search mode, with the functions of the hits read.
 */
public final class LatencyEval {
    private LatencyEval() {
    }

    /**
     * What one run measured.
     *
     * @param functions functions in the catalog
     * @param indexBytes size of the catalog folder on disk
     * @param openMillis time to open the catalog
     * @param firstQueryMillis time of the first query in the first mode (loads the embedding model, if any)
     * @param modes per mode, the latency of each query
     */
    public record Report(int functions, long indexBytes, double openMillis, double firstQueryMillis, List<ModeLatency> modes) {
        public Report {
            modes = ImmutableList.copyOf(modes);
        }
    }

    /** Latency percentiles of one mode over the query set, in milliseconds. */
    public record ModeLatency(SearchMode mode, int queries, double p50, double p90, double p99, double max) {
        public String markdownRow() {
            return String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f | %.2f |", mode.name().toLowerCase(Locale.ROOT), queries,
                    p50, p90, p99, max);
        }
    }

    /**
     * Opens the catalog, asks every query once unmeasured (to warm caches) and then once measured, per mode.
     *
     * @param queries query texts, e.g. from {@link #queries}
     */
    public static Report run(Path catalogDir, List<String> queries, List<SearchMode> modes, int k) {
        if (queries.isEmpty()) {
            throw new IllegalArgumentException("no queries to time");
        }
        long start = System.nanoTime();
        try (ToolCatalog catalog = ToolCatalog.open(catalogDir)) {
            double open = millis(System.nanoTime() - start);
            long first = System.nanoTime();
            catalog.search(queries.get(0), k, modes.get(0));
            double firstQuery = millis(System.nanoTime() - first);
            List<ModeLatency> out = new ArrayList<>();
            for (SearchMode mode : modes) {
                queries.forEach(q -> catalog.search(q, k, mode));
                double[] times = new double[queries.size()];
                for (int i = 0; i < queries.size(); i++) {
                    long t = System.nanoTime();
                    catalog.search(queries.get(i), k, mode);
                    times[i] = millis(System.nanoTime() - t);
                }
                Arrays.sort(times);
                out.add(new ModeLatency(mode, times.length, percentile(times, 50), percentile(times, 90), percentile(times, 99),
                        times[times.length - 1]));
            }
            return new Report(catalog.size(), folderBytes(catalogDir), open, firstQuery, out);
        }
    }

    /** The {@code query} texts of StableToolBench query files, in file order. */
    public static List<String> queries(List<Path> files) {
        List<String> out = new ArrayList<>();
        for (Path file : files) {
            JsonNode root = RetrievalEval.queryList(file);
            for (JsonNode q : root) {
                if (q.path("query").isTextual()) {
                    out.add(q.get("query").asText());
                }
            }
            if (out.isEmpty()) {
                throw new SpecException(file, "has no entries with a 'query' text", "pass a StableToolBench query file such as G1_instruction.json");
            }
        }
        return out;
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }

    private static long folderBytes(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            return -1;
        }
    }
}
