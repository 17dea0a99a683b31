package dev.troupe.agents.action;

import java.util.List;

/**
 * Chooses an action's tools for one call from its rendered prompt, e.g. the few relevant APIs a
 * retriever finds in a large catalog. Used beside (or instead of) a fixed tool list.
 */
@FunctionalInterface
public interface ToolProvider {
    List<ActionTool> toolsFor(String prompt);
}
