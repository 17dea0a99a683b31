package dev.troupe.agents.message;

import com.google.common.collect.ImmutableSet;
import java.util.Collection;
import java.util.Optional;

/**
 * Which messages a subscriber observes: those of one run caused by a watched action (and
 * addressed to it or to everyone), plus any addressed to it by name. A subscriber never observes
 * its own broadcasts.
 *
 * @param runId   the run to follow; empty follows every run
 * @param address the subscriber's name; empty for an observer that sees everything
 * @param watch   the causeBy values the subscriber reacts to; ignored when {@code everything}
 */
public record MessageFilter(Optional<String> runId, Optional<String> address, ImmutableSet<String> watch, boolean everything) {

    /** A role's view of a run: watched actions plus messages addressed to it. */
    public static MessageFilter forRole(String runId, String roleName, Collection<String> watch) {
        return new MessageFilter(Optional.of(runId), Optional.of(roleName), ImmutableSet.copyOf(watch), false);
    }

    /** Every message of a run, for observers such as the journal, renderers or a coordinator. */
    public static MessageFilter allOf(String runId) {
        return new MessageFilter(Optional.of(runId), Optional.empty(), ImmutableSet.of(), true);
    }

    /** Every message of every run. */
    public static MessageFilter all() {
        return new MessageFilter(Optional.empty(), Optional.empty(), ImmutableSet.of(), true);
    }

    /** Whether a subscriber with this filter observes {@code m}; a bus delivers exactly the messages this accepts. */
    public boolean matches(Message m) {
        if (runId.isPresent() && !runId.get().equals(m.runId())) {
            return false;
        }
        if (everything) {
            return true;
        }
        if (address.isEmpty()) {
            return watch.contains(m.causeBy());
        }
        String me = address.get();
        if (m.sendTo().contains(me)) {
            return true;
        }
        return m.isBroadcast() && !me.equals(m.sender()) && watch.contains(m.causeBy());
    }
}
