package dev.troupe.agents.tool;

import com.google.common.collect.ImmutableList;
import java.util.List;

/**
 * Chooses an action's tools for one call from its rendered prompt, e.g. the few relevant APIs a
 * retriever finds in a large catalog. Used beside (or instead of) a fixed tool list.
 */
@FunctionalInterface
public interface ToolProvider {
    List<ActionTool> toolsFor(String prompt);

    /**
     * The tools for one call and how they were chosen, for the trace and the console; a provider that
     * ranks (a retriever) overrides it to give its method and scores.
     */
    default Choice choose(String prompt) {
        return new Choice(toolsFor(prompt), "", List.of());
    }

    /**
     * What a provider chose for one call.
     *
     * @param tools  the tools, best first
     * @param how    how they were chosen (e.g. "hybrid retrieval, top 5 of 810 functions"); empty when it goes without saying
     * @param scores one score per tool when the provider ranks, else empty
     */
    record Choice(List<ActionTool> tools, String how, List<Double> scores) {
        public Choice {
            tools = ImmutableList.copyOf(tools);
            scores = ImmutableList.copyOf(scores);
            if (!scores.isEmpty() && scores.size() != tools.size()) {
                throw new IllegalArgumentException("a choice of " + tools.size() + " tools has " + scores.size() + " scores");
            }
        }
    }
}
