package dev.troupe.agents.role;

/** How a role turns news into actions (MetaGPT's three react modes). */
public enum ReactMode {
    /** Run every action in declaration order. */
    BY_ORDER,
    /** Let the model pick the next action, or stop, up to {@code maxReactLoop} times. */
    REACT,
    /** Let the model write a task list with dependencies, run it in dependency order, re-plan when a task fails. */
    PLAN_AND_ACT
}
