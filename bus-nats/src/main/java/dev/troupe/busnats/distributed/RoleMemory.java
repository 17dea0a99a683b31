package dev.troupe.busnats.distributed;

import dev.troupe.agents.action.Action;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.role.Role;
import dev.troupe.agents.role.internal.RoleAgent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A role's memory rebuilt from its run's stream, so any replica can take the next step of a run
 * another replica (or a killed worker) began. What a {@link RoleAgent} remembers is a function of
 * the messages before the one it now steps on: each message it observed, followed by what its step
 * on that message published; the news a join role still holds; and how often each of its commands
 * has failed.
 */
final class RoleMemory {

    /** The state a role agent carries from step to step. */
    record Recollection(List<Message> memory, List<Message> held, Map<String, Integer> commandFailures) {}

    private RoleMemory() {}

    /**
     * What {@code role} remembers when it is about to step on {@code input}, given every message of
     * the run in stream order. Outputs of an earlier attempt at {@code input} itself are left out:
     * the step is being redone.
     */
    static Recollection recall(Role role, List<Message> runMessages, Message input) {
        List<Message> observed = new ArrayList<>();
        for (Message m : runMessages) {
            if (m.id().equals(input.id())) {
                break;
            }
            if (Observers.observes(role, m)) {
                observed.add(m);
            }
        }
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < observed.size(); i++) {
            position.put(observed.get(i).id(), i);
        }
        // A step's outputs follow the last message of its news (a join acts on several at once).
        Map<Integer, List<Message>> outputsAfter = new HashMap<>();
        for (Message m : runMessages) {
            if (!m.sender().equals(role.name()) || m.parents().isEmpty()) {
                continue;
            }
            int last = -1;
            boolean allObserved = true;
            for (String p : m.parents()) {
                Integer at = position.get(p);
                if (at == null) {
                    allObserved = false;
                    break;
                }
                last = Math.max(last, at);
            }
            if (allObserved) {
                outputsAfter.computeIfAbsent(last, k -> new ArrayList<>()).add(m);
            }
        }
        List<Message> memory = new ArrayList<>();
        for (int i = 0; i < observed.size(); i++) {
            memory.add(observed.get(i));
            memory.addAll(outputsAfter.getOrDefault(i, List.of()));
        }

        List<Message> held = new ArrayList<>();
        if (role.waitForAll()) {
            Set<String> seen = new HashSet<>();
            memory.forEach(m -> seen.add(m.causeBy()));
            if (!seen.containsAll(role.watch())) {
                held.addAll(observed);   // a join that has not acted yet still holds everything it observed
            }
        }

        Map<String, Integer> failures = new HashMap<>();
        for (Action a : role.actions()) {
            if (a.command().isPresent()) {
                long n = memory.stream().filter(m -> m.sender().equals(role.name()) && m.causeBy().equals(a.name()))
                        .filter(m -> m.payload().map(p -> p.has("passed") && !p.get("passed").asBoolean()).orElse(false))
                        .count();
                if (n > 0) {
                    failures.put(a.name(), (int) n);
                }
            }
        }
        return new Recollection(List.copyOf(memory), List.copyOf(held), Map.copyOf(failures));
    }

    /** Makes {@code agent} remember exactly {@code r}, whatever it remembered before. */
    static void restore(RoleAgent agent, Recollection r) {
        agent.restore(r.memory(), r.held(), r.commandFailures());
    }
}
