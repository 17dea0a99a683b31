package dev.troupe.agents.planner;

/** How an action with tools searches over tool calls (ToolLLM): a single ReAct chain, or DFSDT's decision tree. */
public enum Planner {
    /** Think, call a tool, observe, until an answer or {@code Finish}. */
    REACT,
    /** Depth-first search over a tree of tool calls, backtracking on give-up and dead ends. */
    DFSDT
}
