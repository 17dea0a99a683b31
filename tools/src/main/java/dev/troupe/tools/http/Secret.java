package dev.troupe.tools.http;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * A credential value that never shows itself: {@link #toString()} is a mask, and only the executor
 * (in this package) reads the value to put it on the wire and to scrub it out of what it reports.
 */
public final class Secret {
    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    public static Secret of(String value) {
        checkArgument(value != null && !value.isEmpty(), "a secret must not be empty");
        return new Secret(value);
    }

    String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "Secret[****]";
    }

    // Identity semantics on purpose: equals by value would let a test or a map leak timing or content.
}
