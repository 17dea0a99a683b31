package dev.troupe.agents.role.internal;

import dev.troupe.agents.role.Role;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import dev.troupe.agents.action.Action;
import dev.troupe.agents.message.Message;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.Function;

/** How a role turns one step's news into actions: one implementation per {@link ReactMode}. */
interface RoleMode {

    /** Takes the role's actions for the news of {@code turn}. */
    void step(Turn turn);

    static RoleMode of(Role role) {
        return switch (role.mode()) {
            case BY_ORDER -> new ByOrder(role);
            case REACT -> new React(role);
            case PLAN_AND_ACT -> new PlanAndAct(role);
        };
    }

    /** What a mode may do in one step of its role; the agent keeps the memory and publishes. */
    interface Turn {
        List<Message> news();

        /**
         * Takes {@code action} and publishes its message; {@code task} is the planned task it does, and
         * {@code lastOfStep} says the step ends once the message is published.
         */
        void act(Action action, Optional<String> task, boolean lastOfStep);

        /**
         * Runs an internal step (think or plan), journaled like an action (a resumed run reads it back), and returns its JSON
         * answer. {@code literals} fill variables verbatim; {@code check} adds problems beyond the schema.
         */
        JsonNode decide(Action step, Map<String, String> literals, Function<JsonNode, ImmutableList<String>> check);
    }

    static void checkNotCancelled() {
        if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException("run cancelled");
        }
    }
}
