package dev.troupe.bench;

import dev.troupe.bench.workload.ChainOverhead;
import java.time.Duration;

/**
 * How long and how big each workload runs. {@link #full()} is what BENCHMARKS.md reports;
 * {@link #tiny()} runs every workload at tiny sizes to check the wiring in seconds.
 */
public record BenchSettings(
        boolean smoke,
        ChainOverhead.Settings chain,
        Duration dagLatency,
        int dagRepetitions,
        Duration concurrentLatency,
        int concurrentRuns,
        int concurrentRepetitions,
        int manyRuns,
        int manyRepetitions) {

    public static BenchSettings full() {
        return new BenchSettings(false, new ChainOverhead.Settings(10_000, 10, 5_000), Duration.ofMillis(100), 5,
                Duration.ofMillis(200), 1_000, 3, 10_000, 2);
    }

    public static BenchSettings tiny() {
        return new BenchSettings(true, new ChainOverhead.Settings(3, 2, 3), Duration.ofMillis(10), 1,
                Duration.ofMillis(20), 20, 1, 100, 1);
    }

    /** These settings with workload 1's given as {@code "warmupRuns,rounds,runsPerRound"}. */
    public BenchSettings withChain(String spec) {
        String[] f = spec.split(",");
        if (f.length != 3) {
            throw new IllegalArgumentException("--w1 needs WARMUP,ROUNDS,RUNS, e.g. 10000,10,2000, but was '" + spec + "'");
        }
        ChainOverhead.Settings c = new ChainOverhead.Settings(Integer.parseInt(f[0].strip()), Integer.parseInt(f[1].strip()),
                Integer.parseInt(f[2].strip()));
        return new BenchSettings(smoke, c, dagLatency, dagRepetitions, concurrentLatency, concurrentRuns, concurrentRepetitions,
                manyRuns, manyRepetitions);
    }

    String describe() {
        return String.format(java.util.Locale.ROOT, "%s; workload 1: %,d warm-up runs, %d rounds × %,d runs; workload 2: %d ms per"
                        + " call, %d repetitions; workload 3: %d ms per call, %,d runs × %d repetitions, then %,d runs × %d",
                smoke ? "smoke (tiny sizes, not for reading)" : "full", chain.warmupRuns(), chain.rounds(), chain.runsPerRound(),
                dagLatency.toMillis(), dagRepetitions, concurrentLatency.toMillis(), concurrentRuns, concurrentRepetitions,
                manyRuns, manyRepetitions);
    }
}
