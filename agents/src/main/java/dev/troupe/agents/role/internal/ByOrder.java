package dev.troupe.agents.role.internal;

import dev.troupe.agents.role.Role;
import dev.troupe.agents.action.Action;
import dev.troupe.agents.message.Message;
import java.util.List;
import java.util.Optional;

/** {@link ReactMode#BY_ORDER}: every action the news triggers, in declaration order. */
final class ByOrder implements RoleMode {
    private final Role role;

    ByOrder(Role role) {
        this.role = role;
    }

    @Override
    public void step(Turn turn) {
        List<Action> fire = role.actions().stream().filter(a -> triggeredBy(a, turn.news())).toList();
        for (int i = 0; i < fire.size(); i++) {
            turn.act(fire.get(i), Optional.empty(), i == fire.size() - 1);
        }
    }

    /** An action without {@code on} runs on any news; one with it, on news from those actions only. */
    private static boolean triggeredBy(Action a, List<Message> news) {
        if (a.on().isEmpty()) {
            return true;
        }
        for (Message m : news) {
            if (a.on().contains(m.causeBy())) {
                return true;
            }
        }
        return false;
    }
}
