package dev.troupe.bench.workload;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import dev.troupe.bench.contender.Contender;
import dev.troupe.bench.model.FakeChatModel;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;

/**
 * Workload 3: many chain runs at once with a model latency per call. Every framework gets the same
 * launcher, one virtual thread per run calling its blocking entry point, so the figures show what
 * the framework itself does with threads and memory. Before each batch the heap is collected and
 * the platform-thread peak reset; a sampler thread watches the used heap.
 */
public final class ConcurrentRuns {
    /** One contender's figures over the repetitions of a batch of {@code runs} runs. */
    public record Row(String name, int runs, Stats wallMillis, double ratioToFloor, double ratioToIdeal, Stats peakHeapMb,
                      Stats baselineHeapMb, double heapRatioToFloor, int platformThreadsBefore, int peakPlatformThreads,
                      int maxInFlight) {}

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final long SAMPLE_EVERY_MILLIS = 2;
    private static final double MB = 1024.0 * 1024.0;

    private ConcurrentRuns() {}

    /** Runs the workload; {@code model} must count calls per run; {@code contenders.get(0)} is the floor. */
    public static ImmutableList<Row> run(int runs, int repetitions, FakeChatModel model, List<Contender> contenders) {
        checkArgument(runs >= 1 && repetitions >= 1, "runs and repetitions must be >= 1 but were %s and %s", runs, repetitions);
        int n = contenders.size();
        for (Contender c : contenders) {
            batch(c, model, Math.min(runs, 50));
        }
        double[][] wall = new double[n][repetitions];
        double[][] peak = new double[n][repetitions];
        double[][] baseline = new double[n][repetitions];
        int[] threads = new int[n];
        int[] threadsBefore = new int[n];
        int[] inFlight = new int[n];
        for (int r = 0; r < repetitions; r++) {
            for (int ci = 0; ci < n; ci++) {
                Measured m = batch(contenders.get(ci), model, runs);
                wall[ci][r] = m.wallMillis;
                peak[ci][r] = m.peakHeapBytes / MB;
                baseline[ci][r] = m.baselineHeapBytes / MB;
                threads[ci] = Math.max(threads[ci], m.peakPlatformThreads);
                threadsBefore[ci] = Math.max(threadsBefore[ci], m.platformThreadsBefore);
                inFlight[ci] = Math.max(inFlight[ci], m.maxInFlight);
            }
        }
        double ideal = (double) Shapes.CHAIN.size() * model.latencyMillis();
        Stats floorWall = Stats.of(wall[0]);
        Stats floorHeap = Stats.of(peak[0]);
        ImmutableList.Builder<Row> rows = ImmutableList.builder();
        for (int ci = 0; ci < n; ci++) {
            Stats w = Stats.of(wall[ci]);
            Stats h = Stats.of(peak[ci]);
            rows.add(new Row(contenders.get(ci).name(), runs, w, w.median() / floorWall.median(), w.median() / ideal, h,
                    Stats.of(baseline[ci]), h.median() / floorHeap.median(), threadsBefore[ci], threads[ci], inFlight[ci]));
        }
        return rows.build();
    }

    private record Measured(double wallMillis, long peakHeapBytes, long baselineHeapBytes, int platformThreadsBefore,
                            int peakPlatformThreads, int maxInFlight) {}

    private static Measured batch(Contender c, FakeChatModel model, int runs) {
        String[] reqs = new String[runs];
        String[] outs = new String[runs];
        Throwable[] errors = new Throwable[runs];
        Thread[] threads = new Thread[runs];
        for (int i = 0; i < runs; i++) {
            reqs[i] = Runs.requirement(i);
        }
        model.reset();
        long baseline = HeapSampler.usedAfterGc();
        THREADS.resetPeakThreadCount();
        int threadsBefore = THREADS.getThreadCount();
        long t0;
        long t1;
        HeapSampler sampler = HeapSampler.start(SAMPLE_EVERY_MILLIS);
        try {
            t0 = System.nanoTime();
            for (int i = 0; i < runs; i++) {
                int k = i;
                threads[i] = Thread.ofVirtual().start(() -> {
                    try {
                        outs[k] = c.chain(reqs[k]);
                    } catch (Throwable e) {
                        errors[k] = e;
                    }
                });
            }
            for (Thread t : threads) {
                t.join();
            }
            t1 = System.nanoTime();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + c.name() + "'s runs", e);
        } finally {
            sampler.close();
        }
        long peak = sampler.peakBytes();
        int peakThreads = THREADS.getPeakThreadCount();
        for (int i = 0; i < runs; i++) {
            if (errors[i] != null) {
                throw new IllegalStateException(c.name() + ": run " + i + " of " + runs + " at once failed: " + errors[i], errors[i]);
            }
            Runs.checkOutput(c, "chain", reqs[i], Shapes.chainOutput(reqs[i]), outs[i]);
            Runs.checkCalls(c, "chain", reqs[i], Shapes.CHAIN.size(), model.callsFor(reqs[i]));
        }
        Runs.checkCalls(c, runs + " chains'", "all", (long) runs * Shapes.CHAIN.size(), model.calls());
        return new Measured((t1 - t0) / 1e6, peak, baseline, threadsBefore, peakThreads, model.maxInFlight());
    }
}
