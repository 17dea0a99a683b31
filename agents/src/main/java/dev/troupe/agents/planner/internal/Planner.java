package dev.troupe.agents.planner.internal;

import dev.langchain4j.data.message.ChatMessage;
import dev.troupe.memory.reflection.TrialPlan;
import java.util.List;
import java.util.Optional;

/**
 * Uses an action's tools until an answer: ReAct ({@link ReactPlanner}), DFSDT ({@link DfsdtSearch})
 * or staged planning ({@link StagedPlanner}); structured reflection wraps any of them. One planner
 * serves one execution of one action.
 */
public interface Planner {
    /**
     * One attempt from {@code task} (the system and user messages). Under a {@link TrialPlan} the
     * planner first replays the plan's steps (a read-only tool's from its cached observation) and
     * takes its forced action; where the plan disabled actions at a step, the model is told so
     * (staged planning also refuses them).
     */
    Attempt attempt(List<ChatMessage> task, Optional<TrialPlan> plan);
}
