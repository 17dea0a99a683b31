package dev.troupe.agents.model;

import java.time.Duration;

/** Model calls, tokens, cost and wall time, summed over some calls or actions. */
public record Usage(long calls, long inputTokens, long outputTokens, double costUsd, Duration wallTime) {

    /** Nothing spent. */
    public static final Usage ZERO = new Usage(0, 0, 0, 0.0, Duration.ZERO);

    /** The sum of this usage and {@code o}. */
    public Usage plus(Usage o) {
        return new Usage(calls + o.calls, inputTokens + o.inputTokens, outputTokens + o.outputTokens,
                costUsd + o.costUsd, wallTime.plus(o.wallTime));
    }

    /** Input and output tokens together, as a token budget counts them. */
    public long totalTokens() {
        return inputTokens + outputTokens;
    }
}
