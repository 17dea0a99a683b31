package dev.troupe.agents.team;

import dev.troupe.agents.action.Action;
import dev.troupe.agents.action.internal.TemplateVariables;
import dev.troupe.agents.error.SopProblem;
import dev.troupe.agents.error.SopValidationException;
import dev.troupe.agents.json.internal.Strings;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.role.ReactMode;
import dev.troupe.agents.role.Role;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a team's SOP graph before anything runs: unique role and action names, every watched
 * action produced by someone (or the requirement), every addressee a role, every template
 * variable bound (an action's field listed in its output schema), and every role reachable from
 * the requirement. Each problem names the role, action and setting it is about.
 */
final class SopValidator {
    private SopValidator() {}

    static void validate(String team, List<Role> roles) {
        List<SopProblem> problems = new ArrayList<>();
        if (roles.isEmpty()) {
            problems.add(SopProblem.ofTeam("roles", "the team has no roles"));
        }
        Map<String, Role> byName = new HashMap<>();
        Map<String, String> producerOf = new HashMap<>();
        Map<String, Action> actions = new HashMap<>();
        for (Role r : roles) {
            if (byName.put(r.name(), r) != null) {
                problems.add(SopProblem.ofRole(r.name(), "name", "two roles are named '" + r.name() + "'"));
            }
            for (Action a : r.actions()) {
                String other = producerOf.putIfAbsent(a.name(), r.name());
                actions.putIfAbsent(a.name(), a);
                if (other != null) {
                    problems.add(SopProblem.ofAction(r.name(), a.name(), "name", "two actions are named '" + a.name()
                            + "' (in roles '" + other + "' and '" + r.name() + "'); action names identify messages, so rename one"));
                }
            }
        }
        for (Role r : roles) {
            for (String w : r.watch()) {
                if (!w.equals(Message.USER_REQUIREMENT) && !producerOf.containsKey(w)) {
                    String hint = Strings.nearest(w, producerOf.keySet());
                    problems.add(SopProblem.ofRole(r.name(), "watch", "role '" + r.name() + "' watches '" + w + "', which no role produces"
                            + (hint == null ? "" : " (did you mean '" + hint + "'?)")
                            + "; watch an action of the team or " + Message.USER_REQUIREMENT));
                }
            }
            for (Action a : r.actions()) {
                String subject = "action '" + a.name() + "' of role '" + r.name() + "'";
                for (String to : addressees(a)) {
                    if (!byName.containsKey(to)) {
                        String hint = Strings.nearest(to, byName.keySet());
                        problems.add(SopProblem.ofAction(r.name(), a.name(), "sendTo", subject + " sends to '" + to
                                + "', which is not a role of the team" + (hint == null ? "" : " (did you mean '" + hint + "'?)")));
                    }
                }
                for (String trigger : a.on()) {
                    if (!r.watch().contains(trigger) && !trigger.equals(Message.USER_REQUIREMENT) && !producerOf.containsKey(trigger)) {
                        problems.add(SopProblem.ofAction(r.name(), a.name(), "on", subject + " runs on '" + trigger
                                + "', which no role produces"));
                    }
                }
                // one problem per unknown action, however many of its fields the instruction uses
                Set<String> clauses = new LinkedHashSet<>();
                for (String variable : a.instruction().variables()) {
                    TemplateVariables.problem(variable, r.mode() == ReactMode.PLAN_AND_ACT, actions).ifPresent(clauses::add);
                }
                clauses.forEach(c -> problems.add(SopProblem.ofAction(r.name(), a.name(), "instruction", subject + " uses " + c)));
            }
        }
        if (problems.isEmpty()) {
            Set<String> unreachable = unreachable(roles, byName);
            for (String r : unreachable) {
                problems.add(SopProblem.ofRole(r, "watch", "role '" + r + "' can never run: nothing it watches ("
                        + String.join(", ", byName.get(r).watch()) + ") is produced by a role that can run, and nothing is sent to it"));
            }
        }
        if (!problems.isEmpty()) {
            throw new SopValidationException(team, problems);
        }
    }

    /** Every role an action may address: its sendTo and, for commands, where failures go. */
    private static Set<String> addressees(Action a) {
        Set<String> all = new LinkedHashSet<>(a.sendTo());
        a.command().ifPresent(c -> all.addAll(c.onFailureSendTo()));
        return all;
    }

    /** Roles that no chain of messages from the requirement can reach. */
    private static Set<String> unreachable(List<Role> roles, Map<String, Role> byName) {
        Set<String> produced = new HashSet<>(Set.of(Message.USER_REQUIREMENT));
        Set<String> reached = new HashSet<>();
        Deque<Role> work = new ArrayDeque<>();
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Role r : roles) {
                if (reached.contains(r.name())) {
                    continue;
                }
                boolean watchesProduced = r.watch().stream().anyMatch(produced::contains);
                if (watchesProduced) {
                    reached.add(r.name());
                    work.add(r);
                    changed = true;
                }
            }
            while (!work.isEmpty()) {
                Role r = work.poll();
                for (Action a : r.actions()) {
                    produced.add(a.name());
                    for (String to : addressees(a)) {
                        if (byName.containsKey(to) && reached.add(to)) {
                            work.add(byName.get(to));
                            changed = true;
                        }
                    }
                }
            }
        }
        Set<String> result = new LinkedHashSet<>();
        roles.forEach(r -> {
            if (!reached.contains(r.name())) {
                result.add(r.name());
            }
        });
        return result;
    }
}
