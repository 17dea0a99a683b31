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

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() { return name; }
    public String profile() { return profile; }
    public String goal() { return goal; }
    public String constraints() { return constraints; }
    /** The causeBy values (action names, or {@code UserRequirement}) this role reacts to. */
    public ImmutableSet<String> watch() { return watch; }
    public ImmutableList<Action> actions() { return actions; }
    public ReactMode mode() { return mode; }
    public int maxReactLoop() { return maxReactLoop; }
    public int maxReplans() { return maxReplans; }
    /** The role's own model spec, overriding the team's default. */
    public Optional<String> model() { return model; }
    /** Whether the role holds its news until it has seen a message of every watched action (a join). */
    public boolean waitForAll() { return waitForAll; }

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

        public Builder name(String name) { this.name = name; return this; }
        public Builder profile(String profile) { this.profile = profile; return this; }
        public Builder goal(String goal) { this.goal = goal; return this; }
        public Builder constraints(String constraints) { this.constraints = constraints; return this; }
        public Builder watch(Collection<String> causeBy) { this.watch = ImmutableSet.copyOf(causeBy); return this; }
        public Builder watch(String... causeBy) { return watch(ImmutableSet.copyOf(causeBy)); }
        public Builder actions(Collection<Action> actions) { this.actions = ImmutableList.copyOf(actions); return this; }
        public Builder actions(Action... actions) { return actions(ImmutableList.copyOf(actions)); }
        public Builder mode(ReactMode mode) { this.mode = mode; return this; }
        public Builder maxReactLoop(int n) { this.maxReactLoop = n; return this; }
        public Builder maxReplans(int n) { this.maxReplans = n; return this; }
        public Builder model(String spec) { this.model = spec; return this; }
        /** Holds news until every watched action has been seen once, so the role acts on all its inputs together. */
        public Builder waitForAll(boolean wait) { this.waitForAll = wait; return this; }

        public Role build() {
            return new Role(this);
        }
    }
}
