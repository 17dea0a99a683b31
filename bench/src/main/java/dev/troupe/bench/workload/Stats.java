package dev.troupe.bench.workload;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;

/** Median, minimum and maximum of some repetitions. */
public record Stats(double median, double min, double max, int n) {

    public static Stats of(double... values) {
        checkArgument(values.length > 0, "no values");
        double[] v = values.clone();
        Arrays.sort(v);
        int mid = v.length / 2;
        double median = v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
        return new Stats(median, v[0], v[v.length - 1], v.length);
    }
}
