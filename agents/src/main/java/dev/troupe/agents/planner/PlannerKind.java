package dev.troupe.agents.planner;

/**
 * Which planner an action with tools uses (YAML {@code planner:}): a ReAct chain, DFSDT's
 * decision tree, or staged planning. Under structured reflection a {@code react} action is planned
 * in stages, as the paper does, because its trials replay and correct a plan of steps.
 */
public enum PlannerKind {
    /** Think, call a tool, observe, until an answer or {@code Finish}. */
    REACT,
    /** Depth-first search over a tree of tool calls, backtracking on give-up and dead ends. */
    DFSDT,
    /** One model call plans every action it can take now; the plan runs without re-asking. */
    STAGED
}
