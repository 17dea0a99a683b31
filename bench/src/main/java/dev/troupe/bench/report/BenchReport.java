package dev.troupe.bench.report;

import dev.troupe.bench.jmh.JmhSuite;
import dev.troupe.bench.workload.ChainOverhead;
import dev.troupe.bench.workload.ConcurrentRuns;
import dev.troupe.bench.workload.DagRuns;
import dev.troupe.bench.workload.Stats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The Markdown the harness writes: one table per workload, Troupe and the peers side by side. In an
 * existing file only the part between the markers is replaced, so notes written around it survive
 * a re-run.
 */
public final class BenchReport {
    public static final String BEGIN = "<!-- bench:begin — written by dev.troupe.bench.BenchMain; edit outside the markers -->";
    public static final String END = "<!-- bench:end -->";
    public static final String BUILD_COMMAND =
            "JAVA_HOME=<a JDK 21+> ./mvnw -B -q -pl bench -am package -DskipTests";

    private final StringBuilder md = new StringBuilder();

    public BenchReport setup(MachineInfo m, Instant startedAt, Duration took, String settings, String loadAtStart, String loadAtEnd) {
        md.append("## Setup\n\n");
        md.append("- Machine: ").append(m.cpus()).append(" CPUs (`nproc`), ").append(m.memory()).append(" memory, ")
                .append(m.cpuModel()).append('\n');
        md.append("- JDK: ").append(m.jdk()).append('\n');
        md.append("- JVM flags: `").append(m.jvmFlags().isEmpty() ? "(none)" : String.join(" ", m.jvmFlags()))
                .append("`; collectors: ").append(m.collectors()).append('\n');
        md.append("- Build: `").append(BUILD_COMMAND).append("`\n");
        md.append("- Run (from the checkout): `").append(m.command()).append("`\n");
        md.append("- Settings: ").append(settings).append('\n');
        md.append("- Started ").append(startedAt).append(", the whole harness took ").append(f1(took.toMillis() / 1000.0))
                .append(" s\n");
        md.append("- Load average (1, 5, 15 min, `/proc/loadavg`) at start: ").append(loadAtStart).append("; at end: ")
                .append(loadAtEnd).append(" (the 1-minute figure at start still includes the previous minute)\n\n");
        return this;
    }

    public BenchReport chain(ChainOverhead.Settings s, List<ChainOverhead.Row> rows, String cpu) {
        md.append("## Workload 1: 5-step chain, model latency 0\n\n");
        md.append("Each contender ran ").append(s.warmupRuns()).append(" warm-up runs, then ").append(s.rounds())
                .append(" rounds of ").append(s.runsPerRound()).append(" runs one after another (rounds interleaved across")
                .append(" contenders). Median, min and max are over the rounds. Overhead per step = (time per run − the")
                .append(" floor's in the same round) / 5. CPU is the process's CPU time (all threads, GC and JIT included)")
                .append(" over all rounds per run, and its overhead per step likewise; it is less disturbed by other processes than wall time. Bytes are heap bytes allocated by all threads during the round")
                .append(" (`ThreadMXBean.getTotalThreadAllocatedBytes`), per step. ").append(sentence(cpu)).append("\n\n");
        md.append("| framework | µs/run median | min | max | × floor | overhead µs/step median | min | max | CPU µs/run | CPU overhead µs/step | bytes/step | bytes/step over floor |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (ChainOverhead.Row r : rows) {
            Stats t = r.microsPerRun();
            Stats o = r.overheadMicrosPerStep();
            md.append("| ").append(r.name()).append(" | ").append(f2(t.median())).append(" | ").append(f2(t.min())).append(" | ")
                    .append(f2(t.max())).append(" | ").append(f1(r.ratioToFloor())).append(" | ").append(f2(o.median()))
                    .append(" | ").append(f2(o.min())).append(" | ").append(f2(o.max())).append(" | ")
                    .append(f2(r.cpuMicrosPerRun())).append(" | ").append(f2(r.cpuOverheadMicrosPerStep())).append(" | ")
                    .append(f0(r.bytesPerStep().median())).append(" | ").append(f0(r.bytesOverFloorPerStep().median())).append(" |\n");
        }
        md.append("\n\"Troupe, SQLite journal on\" writes every message and every completed call to the embedded SQLite journal")
                .append(" (WAL mode, one transaction per write) before the run goes on, as `troupe run` does by default.\n\n");
        return this;
    }

    public BenchReport dag(long latencyMillis, int repetitions, List<DagRuns.Row> rows, String cpu) {
        long critical = 5 * latencyMillis;
        md.append("## Workload 2: DAG A → (B1 → B2 → B3 ∥ C1 → C2 → C3) → D, ").append(latencyMillis).append(" ms per call\n\n");
        md.append("One run at a time, ").append(repetitions).append(" repetitions per contender after one warm-up run.")
                .append(" The critical path is 5 calls = ").append(critical).append(" ms. Max in flight is the most model")
                .append(" calls the fake model saw at once (2 means the branches overlapped). ").append(sentence(cpu)).append("\n\n");
        md.append("| framework | wall ms median | min | max | × floor | × critical path | max in flight |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (DagRuns.Row r : rows) {
            Stats w = r.wallMillis();
            md.append("| ").append(r.name()).append(" | ").append(f1(w.median())).append(" | ").append(f1(w.min())).append(" | ")
                    .append(f1(w.max())).append(" | ").append(f3(r.ratioToFloor())).append(" | ").append(f3(r.ratioToCriticalPath()))
                    .append(" | ").append(r.maxInFlight()).append(" |\n");
        }
        md.append("\nWhat each needed for the branches to run at once:\n\n");
        for (DagRuns.Row r : rows) {
            md.append("- ").append(r.name()).append(": ").append(r.parallelism()).append('\n');
        }
        md.append('\n');
        return this;
    }

    public BenchReport concurrent(List<ConcurrentRuns.Row> rows, String cpu) {
        if (rows.isEmpty()) {
            return this;
        }
        int runs = rows.getFirst().runs();
        md.append("### ").append(String.format(Locale.ROOT, "%,d", runs)).append(" runs at once\n\n");
        md.append(sentence(cpu)).append("\n\n");
        md.append("| framework | wall ms median | min | max | × floor | × ideal | peak heap MB median | min | max | heap × floor | heap after GC before start, MB | platform threads before start | peak platform threads | max in flight |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (ConcurrentRuns.Row r : rows) {
            Stats w = r.wallMillis();
            Stats h = r.peakHeapMb();
            md.append("| ").append(r.name()).append(" | ").append(f0(w.median())).append(" | ").append(f0(w.min())).append(" | ")
                    .append(f0(w.max())).append(" | ").append(f3(r.ratioToFloor())).append(" | ").append(f3(r.ratioToIdeal()))
                    .append(" | ").append(f1(h.median())).append(" | ").append(f1(h.min())).append(" | ").append(f1(h.max()))
                    .append(" | ").append(f2(r.heapRatioToFloor())).append(" | ").append(f1(r.baselineHeapMb().median()))
                    .append(" | ").append(r.platformThreadsBefore()).append(" | ").append(r.peakPlatformThreads()).append(" | ").append(r.maxInFlight()).append(" |\n");
        }
        md.append('\n');
        return this;
    }

    public BenchReport concurrentIntro(long latencyMillis, int repetitions) {
        md.append("## Workload 3: the chain, many runs at once, ").append(latencyMillis).append(" ms per call\n\n");
        md.append("Ideal wall time: 5 calls × ").append(latencyMillis).append(" ms = ").append(5 * latencyMillis)
                .append(" ms. Every contender gets the same launcher: one virtual thread per run calling its blocking entry")
                .append(" point, all started at once. ").append(repetitions).append(" repetitions per batch size after a")
                .append(" 50-run warm-up batch. Before each batch: `System.gc()`, then the platform-thread peak is reset")
                .append(" (`ThreadMXBean.resetPeakThreadCount`). Peak heap is the most used heap (`MemoryMXBean`, sampled")
                .append(" every 2 ms by a platform thread), garbage included; peak platform threads counts every live")
                .append(" platform thread of the JVM (the harness's own main and sampler threads included).\n\n");
        return this;
    }

    public BenchReport jmh(List<JmhSuite.Row> rows, String settings) {
        md.append("## JMH: the bus and the gateway\n\n");
        md.append(settings).append(" Time per operation (average ± 99.9% error) and heap bytes allocated per operation")
                .append(" (`-prof gc`, `gc.alloc.rate.norm`).\n\n");
        md.append("| benchmark | params | ns/op | ± | bytes/op |\n|---|---|---:|---:|---:|\n");
        for (JmhSuite.Row r : rows) {
            md.append("| ").append(r.benchmark()).append(" | ").append(r.params()).append(" | ").append(f1(r.nanosPerOp()))
                    .append(" | ").append(f1(r.errorNanos())).append(" | ").append(f0(r.bytesPerOp())).append(" |\n");
        }
        md.append('\n');
        return this;
    }

    /** Appends Markdown made by another report, e.g. the tables under this one's setup. */
    public BenchReport append(String markdown) {
        md.append(markdown);
        return this;
    }

    public String markdown() {
        return md.toString();
    }

    /** Writes the tables into {@code file} between the markers, keeping everything outside them. */
    public void writeInto(Path file) throws IOException {
        String block = BEGIN + "\n\n" + md + END + "\n";
        String text;
        if (Files.exists(file)) {
            String old = Files.readString(file);
            int b = old.indexOf(BEGIN);
            int e = old.indexOf(END);
            text = b >= 0 && e > b ? old.substring(0, b) + block + old.substring(e + END.length()).replaceFirst("^\n", "")
                    : old + (old.endsWith("\n") ? "\n" : "\n\n") + block;
        } else {
            text = "# Benchmarks\n\nTroupe side by side with langchain4j-agentic and LangGraph4j on the same fake model"
                    + " (issue 8). Reproduce with the build and run commands under Setup.\n\n" + block;
        }
        Files.writeString(file, text);
    }

    private static String sentence(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1) + ".";
    }

    private static String f0(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String f1(double v) {
        return String.format(Locale.ROOT, "%,.1f", v);
    }

    private static String f2(double v) {
        return String.format(Locale.ROOT, "%,.2f", v);
    }

    private static String f3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
