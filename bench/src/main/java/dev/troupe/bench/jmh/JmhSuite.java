package dev.troupe.bench.jmh;

import com.google.common.collect.ImmutableList;
import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.Map;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Runs the JMH benchmarks of this module (in a forked JVM, with the gc profiler) and returns one row per benchmark. */
public final class JmhSuite {
    /** A benchmark's average time per operation and heap bytes allocated per operation. */
    public record Row(String benchmark, String params, double nanosPerOp, double errorNanos, double bytesPerOp) {}

    private JmhSuite() {}

    /** The harness's own JVM flags, minus flight recording: a fork must not write into the harness's recording. */
    private static String[] forkFlags() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(f -> !f.contains("FlightRecord")).toArray(String[]::new);
    }

    /** {@code smoke} runs one short iteration of each, to check that they work. */
    public static ImmutableList<Row> run(boolean smoke) {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(BusBenchmark.class.getName())
                .include(GatewayBenchmark.class.getName())
                .addProfiler(GCProfiler.class)
                .jvmArgs(forkFlags())
                .shouldFailOnError(true);
        if (smoke) {
            options.warmupIterations(1).warmupTime(TimeValue.milliseconds(200))
                    .measurementIterations(1).measurementTime(TimeValue.milliseconds(200)).forks(1);
        }
        Collection<RunResult> results;
        try {
            results = new Runner(options.build()).run();
        } catch (RunnerException e) {
            throw new IllegalStateException("JMH failed: " + e.getMessage(), e);
        }
        ImmutableList.Builder<Row> rows = ImmutableList.builder();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            StringBuilder params = new StringBuilder();
            for (String key : r.getParams().getParamsKeys()) {
                params.append(params.isEmpty() ? "" : ", ").append(key).append('=').append(r.getParams().getParam(key));
            }
            Result primary = r.getPrimaryResult();
            Map<String, Result> secondary = r.getSecondaryResults();
            Result alloc = secondary.get("gc.alloc.rate.norm");
            rows.add(new Row(name, params.toString(), primary.getScore(), primary.getScoreError(),
                    alloc == null ? Double.NaN : alloc.getScore()));
        }
        return rows.build();
    }
}
