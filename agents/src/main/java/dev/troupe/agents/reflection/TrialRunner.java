package dev.troupe.agents.reflection;

import dev.troupe.memory.reflection.TrialPlan;

/**
 * How one trial of a reflective action is carried out under its {@link TrialPlan}: replay the steps
 * before the critical one, take the forced action there, then let the planner (staged, or a DFSDT
 * search) go on.
 */
interface TrialRunner {
    TrialRun run(TrialPlan plan);
}
