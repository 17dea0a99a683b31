package dev.troupe.agents.model;

import static com.google.common.base.Preconditions.checkArgument;

/** A run's spending cap in US dollars and in tokens (input plus output); either may be unlimited. */
public record Budget(double maxUsd, long maxTokens) {

    public Budget {
        checkArgument(maxUsd > 0, "budget usd must be > 0 but was %s", maxUsd);
        checkArgument(maxTokens > 0, "budget tokens must be > 0 but was %s", maxTokens);
    }

    /** A budget that never stops a run. */
    public static Budget unlimited() {
        return new Budget(Double.POSITIVE_INFINITY, Long.MAX_VALUE);
    }

    /** A budget of {@code usd} dollars, at the team's prices. */
    public static Budget usd(double usd) {
        return new Budget(usd, Long.MAX_VALUE);
    }

    /** A budget of {@code tokens} input and output tokens together. */
    public static Budget tokens(long tokens) {
        return new Budget(Double.POSITIVE_INFINITY, tokens);
    }

    /** A copy that also caps dollars at {@code usd}. */
    public Budget withUsd(double usd) {
        return new Budget(usd, maxTokens);
    }

    /** A copy that also caps tokens at {@code tokens}. */
    public Budget withTokens(long tokens) {
        return new Budget(maxUsd, tokens);
    }

    /** Whether neither dollars nor tokens are capped. */
    public boolean isUnlimited() {
        return maxUsd == Double.POSITIVE_INFINITY && maxTokens == Long.MAX_VALUE;
    }

    /** Why a run that has spent {@code spent} may not start another call, or null when it may. */
    public String exhaustedBy(Usage spent) {
        if (spent.costUsd() >= maxUsd) {
            return String.format("spent $%.6f of a $%.6f budget", spent.costUsd(), maxUsd);
        }
        if (spent.totalTokens() >= maxTokens) {
            return String.format("used %,d of a %,d token budget", spent.totalTokens(), maxTokens);
        }
        return null;
    }
}
