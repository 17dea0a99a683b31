package dev.troupe.bench.workload;

import com.google.common.collect.ImmutableList;

/**
 * The two workflow shapes of the bench and the output a correct run must produce. Each step sends
 * the fake model {@code "STEP <<INPUT>>"} and gets {@code "STEP(INPUT)"} back.
 */
public final class Shapes {
    /** Workload 1 and 3: a 5-step chain, the software-company shape. */
    public static final ImmutableList<String> CHAIN = ImmutableList.of("S1", "S2", "S3", "S4", "S5");

    /** Workload 2: A → (B1 → B2 → B3 ∥ C1 → C2 → C3) → D. */
    public static final String DAG_HEAD = "A";
    public static final ImmutableList<String> DAG_LEFT = ImmutableList.of("B1", "B2", "B3");
    public static final ImmutableList<String> DAG_RIGHT = ImmutableList.of("C1", "C2", "C3");
    public static final String DAG_JOIN = "D";
    public static final int DAG_CALLS = 8;
    /** Calls on the DAG's critical path: A, three of one branch, D. */
    public static final int DAG_CRITICAL_PATH = 5;

    private Shapes() {}

    /** What a step sends the model. */
    public static String prompt(String step, String input) {
        return step + " <<" + input + ">>";
    }

    /** The input of the join step D: both branch outputs. */
    public static String joinInput(String left, String right) {
        return left + "|" + right;
    }

    /** {@code S5(S4(S3(S2(S1(requirement)))))}. */
    public static String chainOutput(String requirement) {
        String out = requirement;
        for (String step : CHAIN) {
            out = step + "(" + out + ")";
        }
        return out;
    }

    /** {@code D(B3(B2(B1(A(r))))|C3(C2(C1(A(r)))))}. */
    public static String dagOutput(String requirement) {
        String a = DAG_HEAD + "(" + requirement + ")";
        String left = a;
        for (String step : DAG_LEFT) {
            left = step + "(" + left + ")";
        }
        String right = a;
        for (String step : DAG_RIGHT) {
            right = step + "(" + right + ")";
        }
        return DAG_JOIN + "(" + joinInput(left, right) + ")";
    }
}
