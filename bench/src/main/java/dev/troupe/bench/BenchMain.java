package dev.troupe.bench;

import com.google.common.collect.ImmutableList;
import dev.troupe.bench.contender.Contender;
import dev.troupe.bench.contender.Contenders;
import dev.troupe.bench.jmh.JmhSuite;
import dev.troupe.bench.model.FakeChatModel;
import dev.troupe.bench.report.BenchReport;
import dev.troupe.bench.report.CpuShare;
import dev.troupe.bench.report.MachineInfo;
import dev.troupe.bench.workload.ChainOverhead;
import dev.troupe.bench.workload.ConcurrentRuns;
import dev.troupe.bench.workload.DagRuns;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Runs the JMH benchmarks and the three workloads of issue 8 in Troupe, langchain4j-agentic,
 * LangGraph4j and plain Java, and writes the tables into BENCHMARKS.md.
 *
 * <pre>
 * java -Xmx2g -jar bench/target/troupe-bench.jar [--smoke] [--skip-jmh] [--workloads 1,2,3] [--only NAME] [--out BENCHMARKS.md]
 * </pre>
 *
 * <p>{@code --w1 1000,50,2000} changes workload 1's warm-up runs, rounds and runs per round.
 * {@code --only troupe} keeps the floor and the contenders whose name contains "troupe", e.g. to profile one.
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws IOException {
        BenchSettings settings = BenchSettings.full();
        boolean jmh = true;
        Set<String> workloads = Set.of("1", "2", "3");
        Path out = Path.of("BENCHMARKS.md");
        String only = "";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--smoke" -> settings = BenchSettings.tiny();
                case "--skip-jmh" -> jmh = false;
                case "--workloads" -> workloads = Set.of(value(args, ++i).split(","));
                case "--out" -> out = Path.of(value(args, ++i));
                case "--w1" -> settings = settings.withChain(value(args, ++i));
                case "--only" -> only = value(args, ++i).toLowerCase(java.util.Locale.ROOT);
                case "-h", "--help" -> {
                    System.out.println("usage: java -Xmx2g -jar troupe-bench.jar [--smoke] [--skip-jmh] [--workloads 1,2,3] [--only NAME] [--w1 WARMUP,ROUNDS,RUNS] [--out FILE]");
                    return;
                }
                default -> {
                    System.err.println("unknown argument '" + args[i] + "'; try --help");
                    System.exit(2);
                }
            }
        }
        Instant started = Instant.now();
        String loadAtStart = MachineInfo.loadAverage();
        long t0 = System.nanoTime();
        String body = tables(settings, jmh, workloads, only);
        new BenchReport().setup(MachineInfo.current(), started, Duration.ofNanos(System.nanoTime() - t0), settings.describe(),
                        loadAtStart, MachineInfo.loadAverage())
                .append(body).writeInto(out);
        System.out.println("wrote " + out.toAbsolutePath());
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            System.err.println(args[i - 1] + " needs a value; try --help");
            System.exit(2);
        }
        return args[i];
    }

    /** Runs what was asked and returns the tables' Markdown. */
    static String tables(BenchSettings s, boolean jmh, Set<String> workloads, String only) {
        BenchReport report = new BenchReport();
        if (workloads.contains("1")) {
            log("workload 1: 5-step chain at latency 0");
            FakeChatModel model = FakeChatModel.withLatency(Duration.ZERO);
            List<Contender> cs = pick(only, Contenders.forChain(model));
            CpuShare cpu = CpuShare.now();
            try {
                List<ChainOverhead.Row> rows = ChainOverhead.run(s.chain(), model, cs);
                report.chain(s.chain(), rows, CpuShare.now().since(cpu));
            } finally {
                Contenders.closeAll(cs);
            }
        }
        if (workloads.contains("2")) {
            log("workload 2: DAG at " + s.dagLatency().toMillis() + " ms per call");
            FakeChatModel model = FakeChatModel.withLatency(s.dagLatency());
            List<Contender> cs = pick(only, Contenders.forDag(model));
            CpuShare cpu = CpuShare.now();
            try {
                List<DagRuns.Row> rows = DagRuns.run(s.dagRepetitions(), model, cs);
                report.dag(model.latencyMillis(), s.dagRepetitions(), rows, CpuShare.now().since(cpu));
            } finally {
                Contenders.closeAll(cs);
            }
        }
        if (workloads.contains("3")) {
            FakeChatModel model = FakeChatModel.countingPerRun(s.concurrentLatency());
            report.concurrentIntro(model.latencyMillis(), s.concurrentRepetitions());
            log("workload 3: " + s.concurrentRuns() + " chains at once at " + model.latencyMillis() + " ms per call");
            List<Contender> cs = pick(only, Contenders.standard(model));
            CpuShare cpu = CpuShare.now();
            try {
                List<ConcurrentRuns.Row> rows = ConcurrentRuns.run(s.concurrentRuns(), s.concurrentRepetitions(), model, cs);
                report.concurrent(rows, CpuShare.now().since(cpu));
            } finally {
                Contenders.closeAll(cs);
            }
            log("workload 3: " + s.manyRuns() + " chains at once, floor and Troupe");
            List<Contender> many = pick(only, Contenders.floorAndTroupe(model));
            CpuShare manyCpu = CpuShare.now();
            try {
                List<ConcurrentRuns.Row> rows = ConcurrentRuns.run(s.manyRuns(), s.manyRepetitions(), model, many);
                report.concurrent(rows, CpuShare.now().since(manyCpu));
            } finally {
                Contenders.closeAll(many);
            }
        }
        if (jmh) {
            log("JMH: bus and gateway");
            String load = MachineInfo.loadAverage();
            ImmutableList<JmhSuite.Row> rows = JmhSuite.run(s.smoke());
            report.jmh(rows, s.smoke() ? "JMH, smoke: 1 fork, 1 × 200 ms warm-up, 1 × 200 ms measurement."
                    : "JMH 1.37, 1 fork, 3 × 1 s warm-up, 5 × 1 s measurement, same JVM flags as the harness; load average "
                    + load + " before and " + MachineInfo.loadAverage() + " after.");
        }
        String md = report.markdown();
        System.out.println(md);
        return md;
    }

    /** The floor plus the contenders whose name contains {@code only}; all of them when it is blank. */
    private static List<Contender> pick(String only, List<Contender> all) {
        if (only.isBlank()) {
            return all;
        }
        List<Contender> kept = new java.util.ArrayList<>(List.of(all.getFirst()));
        for (Contender c : all.subList(1, all.size())) {
            if (c.name().toLowerCase(java.util.Locale.ROOT).contains(only)) {
                kept.add(c);
            } else {
                c.close();
            }
        }
        return kept;
    }

    private static void log(String what) {
        System.out.println("[bench " + Instant.now() + "] " + what);
    }
}
