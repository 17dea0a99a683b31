package dev.troupe.agents.role.internal;

import dev.troupe.agents.role.Role;
import dev.troupe.agents.action.Action;
import dev.troupe.agents.action.internal.ActionContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link ReactMode#REACT}: the model picks the next action, or stops, up to {@code maxReactLoop} times. */
final class React implements RoleMode {
    private final Role role;
    private final Action think;
    private final String actions;

    React(Role role) {
        this.role = role;
        this.think = InternalSteps.think(role);
        this.actions = InternalSteps.describeActions(role);
    }

    @Override
    public void step(Turn turn) {
        List<String> taken = new ArrayList<>();
        for (int i = 0; i < role.maxReactLoop(); i++) {
            RoleMode.checkNotCancelled();
            String next = turn.decide(think, Map.of(InternalSteps.ACTIONS, actions,
                            InternalSteps.TAKEN, taken.isEmpty() ? "none" : String.join(", ", taken)), ActionContext.noExtraCheck())
                    .path("next").asText();
            if (next.equals(InternalSteps.STOP)) {
                return;
            }
            turn.act(role.action(next).orElseThrow(), Optional.empty(), false);
            taken.add(next);
        }
    }
}
