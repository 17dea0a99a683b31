package dev.troupe.agents.role;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.troupe.agents.action.Action;
import java.util.Collection;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An agent's part in a team: who it is (profile, goal, constraints), which actions' messages it
 * watches, the actions it can take and how it chooses among them. Immutable; derive changed
 * copies with {@link #newBuilder()}.
 */
public final class Role {
    /** Reserved action names of the react and plan steps; scripts match them like any action. */
    public static final String THINK = "_think";
    public static final String PLAN = "_plan";

    private final String name;
    private final String profile;
    private final String goal;
    private final String constraints;
    private final ImmutableSet<String> watch;
    private final ImmutableList<Action> actions;
    private final ReactMode mode;
    private final int maxReactLoop;
    private final int maxReplans;
    private final Optional<String> model;
    private final boolean waitForAll;
    private final String systemPrompt;

    private Role(Builder b) {
        checkArgument(b.name != null && b.name.matches("[A-Za-z][A-Za-z0-9_\\-]*"),
                "role name must start with a letter and hold only letters, digits, '_' or '-', but was '%s'", b.name);
        checkArgument(!b.actions.isEmpty(), "role '%s' needs at least one action", b.name);
        checkArgument(b.maxReactLoop >= 1, "role '%s': maxReactLoop must be >= 1 but was %s", b.name, b.maxReactLoop);
        checkArgument(b.maxReplans >= 0, "role '%s': maxReplans must be >= 0 but was %s", b.name, b.maxReplans);
        Set<String> seen = new HashSet<>();
        for (Action a : b.actions) {
            checkArgument(seen.add(a.name()), "role '%s' has two actions named '%s'", b.name, a.name());
            checkArgument(!a.name().equals(THINK) && !a.name().equals(PLAN),
                    "role '%s': action name '%s' is reserved", b.name, a.name());
        }
        this.name = b.name;
        this.profile = Objects.requireNonNullElse(b.profile, b.name);
        this.goal = Objects.requireNonNullElse(b.goal, "");
        this.constraints = Objects.requireNonNullElse(b.constraints, "");
        this.watch = ImmutableSet.copyOf(b.watch);
        this.actions = ImmutableList.copyOf(b.actions);
        this.mode = Objects.requireNonNull(b.mode, "mode");
        this.maxReactLoop = b.maxReactLoop;
        this.maxReplans = b.maxReplans;
        this.model = Optional.ofNullable(b.model);
        this.waitForAll = b.waitForAll;
        this.systemPrompt = buildSystemPrompt();
    }

    /** Starts a role named {@code name} (letters, digits, {@code _} and {@code -}); add actions, then {@link Builder#build()}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The role's name, which messages are addressed to and the SOP refers to. */
    public String name() { return name; }
    /** Who the role is, as its system prompt tells the model. */
    public String profile() { return profile; }
    /** What the role is after, as its system prompt tells the model. */
    public String goal() { return goal; }
    /** What the role must keep to, as its system prompt tells the model. */
    public String constraints() { return constraints; }
    /** The causeBy values (action names, or {@code UserRequirement}) this role reacts to. */
    public ImmutableSet<String> watch() { return watch; }
    /** The actions the role can take, in declaration order. */
    public ImmutableList<Action> actions() { return actions; }
    /** How the role chooses among its actions on news. */
    public ReactMode mode() { return mode; }
    /** The most think-act turns of a {@link ReactMode#REACT} step. */
    public int maxReactLoop() { return maxReactLoop; }
    /** How often a {@link ReactMode#PLAN_AND_ACT} step may plan again after a failed task. */
    public int maxReplans() { return maxReplans; }
    /** The role's own model spec, overriding the team's default. */
    public Optional<String> model() { return model; }
    /** Whether the role holds its news until it has seen a message of every watched action (a join). */
    public boolean waitForAll() { return waitForAll; }

    /** The role's action named {@code actionName}, if it has one. */
    public Optional<Action> action(String actionName) {
        return actions.stream().filter(a -> a.name().equals(actionName)).findFirst();
    }

    /** The system prompt that introduces the role to the model. */
    public String systemPrompt() {
        return systemPrompt;
    }

    private String buildSystemPrompt() {
        StringBuilder sb = new StringBuilder("You are ").append(name).append(", ").append(profile).append('.');
        if (!goal.isBlank()) {
            sb.append("\nYour goal: ").append(goal.strip());
        }
        if (!constraints.isBlank()) {
            sb.append("\nConstraints: ").append(constraints.strip());
        }
        return sb.toString();
    }

    /** A builder holding this role's settings, to derive a changed copy. */
    public Builder newBuilder() {
        Builder b = new Builder(name);
        b.profile = profile;
        b.goal = goal;
        b.constraints = constraints;
        b.watch = watch;
        b.actions = actions;
        b.mode = mode;
        b.maxReactLoop = maxReactLoop;
        b.maxReplans = maxReplans;
        b.model = model.orElse(null);
        b.waitForAll = waitForAll;
        return b;
    }

    @Override
    public String toString() {
        return "Role[" + name + "]";
    }

    /** Builds a {@link Role}; a name and one action are required. */
    public static final class Builder {
        private String name;
        private String profile;
        private String goal;
        private String constraints;
        private Collection<String> watch = ImmutableSet.of();
        private Collection<Action> actions = ImmutableList.of();
        private ReactMode mode = ReactMode.BY_ORDER;
        private int maxReactLoop = 5;
        private int maxReplans = 2;
        private String model;
        private boolean waitForAll;

        private Builder(String name) {
            this.name = name;
        }

        /** Renames the role; roles and the SOP refer to it by this name. */
        public Builder name(String name) { this.name = name; return this; }
        /** Who the role is (e.g. "Product Manager"), rendered into its system prompt. */
        public Builder profile(String profile) { this.profile = profile; return this; }
        /** What the role is after, rendered into its system prompt. */
        public Builder goal(String goal) { this.goal = goal; return this; }
        /** What the role must keep to, rendered into its system prompt. */
        public Builder constraints(String constraints) { this.constraints = constraints; return this; }
        /** The actions whose messages give this role news (by action name). */
        public Builder watch(Collection<String> causeBy) { this.watch = ImmutableSet.copyOf(causeBy); return this; }
        /** The actions whose messages give this role news (by action name). */
        public Builder watch(String... causeBy) { return watch(ImmutableSet.copyOf(causeBy)); }
        /** The actions the role can take, in the order a by-order step takes them. */
        public Builder actions(Collection<Action> actions) { this.actions = ImmutableList.copyOf(actions); return this; }
        /** The actions the role can take, in the order a by-order step takes them. */
        public Builder actions(Action... actions) { return actions(ImmutableList.copyOf(actions)); }
        /** How the role chooses among its actions; {@link ReactMode#BY_ORDER} by default. */
        public Builder mode(ReactMode mode) { this.mode = mode; return this; }
        /** The most think-act turns of a react step. */
        public Builder maxReactLoop(int n) { this.maxReactLoop = n; return this; }
        /** How often a plan-and-act step may plan again after a failed task. */
        public Builder maxReplans(int n) { this.maxReplans = n; return this; }
        /** The model spec this role calls (e.g. {@code openai:gpt-4o}), overriding the team's default. */
        public Builder model(String spec) { this.model = spec; return this; }
        /** Holds news until every watched action has been seen once, so the role acts on all its inputs together. */
        public Builder waitForAll(boolean wait) { this.waitForAll = wait; return this; }

        /** The role; fails with a message naming the bad setting when one is invalid. */
        public Role build() {
            return new Role(this);
        }
    }
}
