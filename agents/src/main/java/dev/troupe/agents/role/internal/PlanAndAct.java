package dev.troupe.agents.role.internal;

import dev.troupe.agents.role.Role;
import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.agents.action.Action;
import dev.troupe.agents.error.ActionFailedException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@link ReactMode#PLAN_AND_ACT}: the model writes a task list with dependencies, the tasks run in
 * dependency order, and a failed task makes it plan the remaining work again, up to {@code maxReplans} times.
 */
final class PlanAndAct implements RoleMode {
    private final Role role;
    private final String actions;

    PlanAndAct(Role role) {
        this.role = role;
        this.actions = InternalSteps.describeActions(role);
    }

    @Override
    public void step(Turn turn) {
        Map<String, String> done = new LinkedHashMap<>();
        String failure = null;
        for (int replans = 0; ; replans++) {
            RoleMode.checkNotCancelled();
            List<JsonNode> tasks = plan(turn, done, failure);
            try {
                for (JsonNode task : tasks) {
                    RoleMode.checkNotCancelled();
                    String id = task.path("id").asText();
                    if (done.containsKey(id)) {
                        continue;
                    }
                    Action a = role.action(task.path("action").asText()).orElseThrow();
                    turn.act(a, Optional.of(task.path("instruction").asText()), false);
                    done.put(id, a.name() + ": " + task.path("instruction").asText());
                }
                return;
            } catch (ActionFailedException e) {
                if (replans >= role.maxReplans()) {
                    throw new ActionFailedException(role.name(), e.action(), "the plan failed after " + (replans + 1)
                            + " plans: " + e.getMessage(), e);
                }
                failure = e.getMessage();
            }
        }
    }

    /** Asks for a task list and returns it in dependency order. */
    private List<JsonNode> plan(Turn turn, Map<String, String> done, String failure) {
        Map<String, String> literals = new HashMap<>(Map.of(InternalSteps.ACTIONS, actions));
        if (!done.isEmpty()) {
            literals.put(InternalSteps.DONE, done.entrySet().stream().map(e -> "- " + e.getKey() + ": " + e.getValue())
                    .collect(Collectors.joining("\n")));
        }
        if (failure != null) {
            literals.put(InternalSteps.FAILURE, failure);
        }
        Action step = InternalSteps.plan(role, !done.isEmpty(), failure != null);
        JsonNode plan = turn.decide(step, literals, p -> TaskOrder.problems(p.get("tasks")));
        return TaskOrder.sort(plan.get("tasks"));
    }
}
