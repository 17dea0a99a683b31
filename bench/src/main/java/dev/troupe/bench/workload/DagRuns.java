package dev.troupe.bench.workload;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import dev.troupe.bench.contender.Contender;
import dev.troupe.bench.model.FakeChatModel;
import java.util.List;

/**
 * Workload 2: the DAG A → (B1 → B2 → B3 ∥ C1 → C2 → C3) → D with a model latency per call, one
 * run at a time, repetitions of each contender interleaved. Its critical path is 5 calls.
 */
public final class DagRuns {
    /** One contender's wall times; {@code maxInFlight} is the most model calls it had going at once. */
    public record Row(String name, String parallelism, Stats wallMillis, double ratioToFloor, double ratioToCriticalPath,
                      int maxInFlight) {}

    private DagRuns() {}

    /** Runs the workload; {@code contenders.get(0)} is the floor. */
    public static ImmutableList<Row> run(int repetitions, FakeChatModel model, List<Contender> contenders) {
        checkArgument(repetitions >= 1, "repetitions must be >= 1 but was %s", repetitions);
        int n = contenders.size();
        for (Contender c : contenders) {
            once(c, model, "warmup");
        }
        double[][] wall = new double[n][repetitions];
        int[] maxInFlight = new int[n];
        for (int r = 0; r < repetitions; r++) {
            for (int k = 0; k < n; k++) {
                int ci = (k + r) % n;
                model.reset();
                long t0 = System.nanoTime();
                once(contenders.get(ci), model, Runs.requirement(r));
                wall[ci][r] = (System.nanoTime() - t0) / 1e6;
                maxInFlight[ci] = Math.max(maxInFlight[ci], model.maxInFlight());
            }
        }
        double criticalPath = (double) Shapes.DAG_CRITICAL_PATH * model.latencyMillis();
        Stats floor = Stats.of(wall[0]);
        ImmutableList.Builder<Row> rows = ImmutableList.builder();
        for (int ci = 0; ci < n; ci++) {
            Stats w = Stats.of(wall[ci]);
            rows.add(new Row(contenders.get(ci).name(), contenders.get(ci).parallelism(), w, w.median() / floor.median(),
                    w.median() / criticalPath, maxInFlight[ci]));
        }
        return rows.build();
    }

    private static void once(Contender c, FakeChatModel model, String requirement) {
        long before = model.calls();
        String out = c.dag(requirement);
        Runs.checkCalls(c, "DAG", requirement, Shapes.DAG_CALLS, model.calls() - before);
        Runs.checkOutput(c, "DAG", requirement, Shapes.dagOutput(requirement), out);
    }
}
