package dev.troupe.bench.workload;

import dev.troupe.bench.contender.Contender;
import dev.troupe.bench.model.FakeChatModel;

/** The checks every run of the bench passes: its output and the model calls it made. */
final class Runs {
    private Runs() {}

    static String requirement(int i) {
        return "req-" + i;
    }

    static void checkOutput(Contender c, String what, String requirement, String expected, String actual) {
        if (!expected.equals(actual)) {
            throw new IllegalStateException(c.name() + ": the " + what + " run on '" + requirement + "' returned '" + actual
                    + "' instead of '" + expected + "'");
        }
    }

    static void checkCalls(Contender c, String what, String requirement, long expected, long actual) {
        if (expected != actual) {
            throw new IllegalStateException(c.name() + ": the " + what + " run on '" + requirement + "' made " + actual
                    + " model calls instead of " + expected);
        }
    }

    /** Runs the chain once, sequentially, and checks it. */
    static void chainChecked(Contender c, FakeChatModel model, String requirement, String expected) {
        long before = model.calls();
        String out = c.chain(requirement);
        checkCalls(c, "chain", requirement, Shapes.CHAIN.size(), model.calls() - before);
        checkOutput(c, "chain", requirement, expected, out);
    }
}
