package dev.troupe.busnats.distributed;

import com.google.common.collect.ImmutableList;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.message.MessageFilter;
import dev.troupe.agents.role.Role;
import java.util.Collection;

/** Which roles of a team observe a message: the bus's own routing rule ({@link MessageFilter#forRole}), applied per role. */
final class Observers {
    private Observers() {}

    static boolean observes(Role role, Message m) {
        return MessageFilter.forRole(m.runId(), role.name(), role.watch()).matches(m);
    }

    static ImmutableList<String> of(Message m, Collection<Role> roles) {
        return roles.stream().filter(r -> observes(r, m)).map(Role::name).collect(ImmutableList.toImmutableList());
    }
}
