package dev.troupe.bench.workload;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import dev.troupe.bench.contender.Contender;
import dev.troupe.bench.model.FakeChatModel;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * Workload 1: the 5-step chain at zero model latency, run after run on one thread, after a long
 * warm-up. Rounds of each contender are interleaved so drift hits all of them alike. Overhead per
 * step is (time per run − the floor's in the same round) / 5. CPU time is the whole process's (every
 * thread, GC and JIT included), which other processes on the machine disturb less than wall time;
 * bytes come from the JVM's count of heap bytes allocated by all threads, so the virtual threads a
 * framework starts are included.
 */
public final class ChainOverhead {
    /** {@code warmupRuns} per contender, then {@code rounds} rounds of {@code runsPerRound} runs each. */
    public record Settings(int warmupRuns, int rounds, int runsPerRound) {
        public Settings {
            checkArgument(warmupRuns >= 0 && rounds >= 1 && runsPerRound >= 1, "bad settings %s %s %s", warmupRuns, rounds, runsPerRound);
        }
    }

    /** One contender's figures over the rounds; per-step figures divide per-run ones by the chain's 5 steps. */
    /**
     * One contender's figures. Time and bytes are per round (median, min, max); CPU is summed over all
     * rounds, because the process CPU clock ticks too coarsely for one round of the floor.
     */
    public record Row(String name, Stats microsPerRun, double ratioToFloor, Stats overheadMicrosPerStep, double cpuMicrosPerRun,
                      double cpuOverheadMicrosPerStep, Stats bytesPerStep, Stats bytesOverFloorPerStep) {}

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private ChainOverhead() {}

    private static double cpuMicros(long nanos, Settings s) {
        return nanos / 1_000.0 / ((long) s.rounds() * s.runsPerRound());
    }

    /** Runs the workload; {@code contenders.get(0)} is the floor. */
    public static ImmutableList<Row> run(Settings s, FakeChatModel model, List<Contender> contenders) {
        checkArgument(model.latencyMillis() == 0, "workload 1 needs a zero-latency model");
        checkArgument(THREADS.isThreadAllocatedMemorySupported(), "this JVM cannot count allocated bytes");
        THREADS.setThreadAllocatedMemoryEnabled(true);
        String[] reqs = new String[s.runsPerRound()];
        String[] expected = new String[s.runsPerRound()];
        for (int i = 0; i < reqs.length; i++) {
            reqs[i] = Runs.requirement(i);
            expected[i] = Shapes.chainOutput(reqs[i]);
        }
        for (Contender c : contenders) {
            for (int i = 0; i < s.warmupRuns(); i++) {
                Runs.chainChecked(c, model, reqs[i % reqs.length], expected[i % reqs.length]);
            }
        }
        int n = contenders.size();
        double[][] micros = new double[n][s.rounds()];
        double[][] bytes = new double[n][s.rounds()];
        long[] cpuNanos = new long[n];
        for (int r = 0; r < s.rounds(); r++) {
            for (int k = 0; k < n; k++) {
                int ci = (k + r) % n;
                Contender c = contenders.get(ci);
                long a0 = THREADS.getTotalThreadAllocatedBytes();
                long c0 = OS.getProcessCpuTime();
                long t0 = System.nanoTime();
                for (int i = 0; i < reqs.length; i++) {
                    Runs.chainChecked(c, model, reqs[i], expected[i]);
                }
                long t1 = System.nanoTime();
                long c1 = OS.getProcessCpuTime();
                long a1 = THREADS.getTotalThreadAllocatedBytes();
                cpuNanos[ci] += c1 - c0;
                micros[ci][r] = (t1 - t0) / 1_000.0 / reqs.length;
                bytes[ci][r] = (double) (a1 - a0) / reqs.length;
            }
        }
        int steps = Shapes.CHAIN.size();
        Stats floor = Stats.of(micros[0]);
        ImmutableList.Builder<Row> rows = ImmutableList.builder();
        for (int ci = 0; ci < n; ci++) {
            double[] overhead = new double[s.rounds()];
            double[] perStep = new double[s.rounds()];
            double[] overFloor = new double[s.rounds()];
            for (int r = 0; r < s.rounds(); r++) {
                overhead[r] = (micros[ci][r] - micros[0][r]) / steps;
                perStep[r] = bytes[ci][r] / steps;
                overFloor[r] = (bytes[ci][r] - bytes[0][r]) / steps;
            }
            Stats t = Stats.of(micros[ci]);
            rows.add(new Row(contenders.get(ci).name(), t, t.median() / floor.median(), Stats.of(overhead), cpuMicros(cpuNanos[ci], s),
                    (cpuMicros(cpuNanos[ci], s) - cpuMicros(cpuNanos[0], s)) / steps, Stats.of(perStep),
                    Stats.of(overFloor)));
        }
        return rows.build();
    }
}
