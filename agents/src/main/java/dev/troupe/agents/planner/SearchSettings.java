package dev.troupe.agents.planner;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * Bounds of a DFSDT search: children tried per node, depth of the tree, and model calls in all.
 *
 * @param width    how many different children a node may get before the search backtracks past it
 * @param maxDepth the most tool calls along one path
 * @param maxCalls the model-call budget of the whole search
 */
public record SearchSettings(int width, int maxDepth, int maxCalls) {
    public SearchSettings {
        checkArgument(width >= 1, "width must be >= 1 but was %s", width);
        checkArgument(maxDepth >= 1, "maxDepth must be >= 1 but was %s", maxDepth);
        checkArgument(maxCalls >= 1, "maxCalls must be >= 1 but was %s", maxCalls);
    }

    /** The default limits of a DFSDT search (see the record's components). */
    public static SearchSettings defaults() {
        return new SearchSettings(2, 8, 40);
    }
}
