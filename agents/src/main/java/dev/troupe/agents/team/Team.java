package dev.troupe.agents.team;

import dev.troupe.agents.team.internal.StepEngine;
import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.langchain4j.model.chat.ChatModel;
import dev.troupe.agents.error.ConfigurationException;
import dev.troupe.agents.event.RunListener;
import dev.troupe.agents.message.InMemoryMessageBus;
import dev.troupe.agents.message.MessageBus;
import dev.troupe.agents.model.Budget;
import dev.troupe.agents.model.ModelBackend;
import dev.troupe.agents.model.ModelInterceptor;
import dev.troupe.agents.model.ModelResolver;
import dev.troupe.agents.model.PriceTable;
import dev.troupe.agents.model.RetryPolicy;
import dev.troupe.agents.role.Role;
import dev.troupe.core.retry.Sleeper;
import dev.troupe.core.security.Redactor;
import dev.troupe.memory.reflection.store.ReflectionStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Roles that work together through a message bus under one SOP, budget and set of limits. Built
 * and validated once, then run any number of times; runs are independent.
 */
public final class Team {
    private final String name;
    private final ImmutableList<Role> roles;
    private final ImmutableMap<String, ModelBackend> modelByRole;
    private final RunSettings settings;
    private final StepEngine engine;
    private final Supplier<MessageBus> busFactory;

    private Team(Builder b) {
        this.name = b.name;
        this.roles = ImmutableList.copyOf(b.roles.values());
        SopValidator.validate(name, roles);
        Map<String, ModelBackend> models = new LinkedHashMap<>();
        for (Role r : roles) {
            models.put(r.name(), modelFor(r, b));
        }
        this.modelByRole = ImmutableMap.copyOf(models);
        this.busFactory = b.busFactory;
        // Built with the team, so a library user who never configures one still has the environment's secrets masked.
        Redactor redactor = b.redactor == null ? Redactor.fromEnvironment() : b.redactor;
        this.settings = new RunSettings(b.budget, b.maxRounds, b.timeout, b.prices, b.retryPolicy, b.sleeper, redactor, b.concurrencyPerModel,
                ImmutableList.copyOf(b.interceptors), Optional.ofNullable(b.recordTo), Optional.ofNullable(b.workspace),
                Optional.ofNullable(b.reflectionStore), Optional.ofNullable(b.journal), ImmutableList.copyOf(b.listeners));
        this.engine = new StepEngine(name, roles, settings);
    }

    private static ModelBackend modelFor(Role r, Builder b) {
        ModelBackend explicit = b.roleModels.get(r.name());
        if (explicit != null) {
            return explicit;
        }
        if (r.model().isPresent()) {
            return b.resolver.resolve(r.model().get());
        }
        if (b.defaultModel != null) {
            return b.defaultModel;
        }
        throw new ConfigurationException("Role '" + r.name() + "' of team '" + b.name + "' has no model: set a team default"
                + " (Team.builder().model(...), 'model:' in YAML, --model on the CLI) or one for the role.");
    }

    /** Starts a team named {@code name}; add roles and a model, then {@link Builder#build()}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The team's name, as runs, traces and the journal show it. */
    public String name() { return name; }
    /** The roles in the order they were added. */
    public ImmutableList<Role> roles() { return roles; }
    /** The backend each role calls, after defaults and overrides. */
    public ImmutableMap<String, ModelBackend> models() { return modelByRole; }
    /** The most a run may spend on model calls; a run past it ends {@link RunStatus#BUDGET_EXCEEDED}. */
    public Budget budget() { return settings.budget(); }
    /** The most rounds a run may take; a run past it ends {@link RunStatus#ROUND_LIMIT}. */
    public int maxRounds() { return settings.maxRounds(); }
    /** How long a run may take before it ends {@link RunStatus#TIMED_OUT}. */
    public Duration timeout() { return settings.timeout(); }
    /** The folder actions write files and run commands in; runs that need one and have none get a fresh temporary folder. */
    public Optional<Path> workspace() { return settings.workspace(); }
    /** Everything a run of this team needs besides roles and models; every transport reads it from here. */
    public RunSettings settings() { return settings; }
    /** The step engine every run of this team drives its steps through, in this process or on a worker; for transports (its type is internal). */
    public StepEngine engine() { return engine; }

    /**
     * Runs the team on {@code requirement} and returns when the run has ended. The calling thread
     * does the work of the first role and of every step that follows one in a chain; roles the SOP
     * lets run at once get threads of their own. Interrupting the caller cancels the run.
     */
    public RunResult run(String requirement) {
        checkArgument(requirement != null && !requirement.isBlank(), "the requirement must not be blank");
        return new Run(this, requirement, busFactory.get()).runHere();
    }

    /**
     * Continues a journaled run of this team that stopped (killed, failed, cancelled or out of
     * budget) and waits for the end: calls completed before are not made again, and the steps
     * that were under way run again.
     */
    public RunResult resume(String runId) {
        return startResume(runId).awaitOrCancel(Duration.ofSeconds(5));
    }

    /** As {@link #resume(String)}, returning at once. */
    public RunHandle startResume(String runId) {
        checkArgument(runId != null && !runId.isBlank(), "the id of the run to resume must not be blank");
        Journal j = settings.journal().orElseThrow(() -> new ConfigurationException("Team '" + name + "' has no journal to resume run '"
                + runId + "' from; give it the journal the run was written to with Team.builder().journal(...)"));
        Resumption r = j.resume(runId, name);
        Run run = new Run(this, r.runId(), r.requirement(), busFactory.get(), Optional.of(r));
        run.start();
        return run;
    }


    /** Starts a run on {@code requirement} and returns at once. */
    public RunHandle start(String requirement) {
        checkArgument(requirement != null && !requirement.isBlank(), "the requirement must not be blank");
        Run run = new Run(this, requirement, busFactory.get());
        run.start();
        return run;
    }

    /** The listeners every run of this team reports to. */
    public ImmutableList<RunListener> listeners() { return settings.listeners(); }
    /** What this team's runs mask in error messages and cassettes; give it to the trace, console and journal too. */
    public Redactor redactor() { return settings.redactor(); }
    /** The store given to {@link Builder#reflectionStore}; empty means each run keeps lessons in its workspace. */
    public Optional<ReflectionStore> reflectionStore() { return settings.reflectionStore(); }
    /** The journal runs of this team write to, if any. */
    public Optional<Journal> journal() { return settings.journal(); }

    /** Configures a {@link Team}; {@link #build()} validates the SOP and resolves every role's model. */
    public static final class Builder {
        private final String name;
        private final Map<String, Role> roles = new LinkedHashMap<>();
        private final Map<String, ModelBackend> roleModels = new HashMap<>();
        private ModelBackend defaultModel;
        private String defaultSpec;
        private ModelResolver resolver = ModelResolver.standard();
        private Budget budget = Budget.unlimited();
        private int maxRounds = 30;
        private Duration timeout = Duration.ofMinutes(30);
        private final List<RunListener> listeners = new ArrayList<>();
        private Supplier<MessageBus> busFactory = InMemoryMessageBus::new;
        private PriceTable prices = PriceTable.defaults();
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private Sleeper sleeper = Sleeper.REAL;
        private Redactor redactor;
        private int concurrencyPerModel = 16;
        private final List<ModelInterceptor> interceptors = new ArrayList<>();
        private Path recordTo;
        private Path workspace;
        private ReflectionStore reflectionStore;
        private Journal journal;

        private Builder(String name) {
            checkArgument(name != null && !name.isBlank(), "a team needs a name");
            this.name = name;
        }

        /** Adds a role, or replaces the one with the same name. */
        public Builder role(Role role) { roles.put(role.name(), role); return this; }
        /** Adds {@code rs} in order, each replacing a role of the same name. */
        public Builder roles(List<Role> rs) { rs.forEach(this::role); return this; }
        /** The model of every role that names none. */
        public Builder model(ModelBackend backend) { this.defaultModel = Objects.requireNonNull(backend); this.defaultSpec = null; return this; }
        /** A LangChain4j chat model as the default; {@code spec} labels it in traces, e.g. "openai:gpt-4o". */
        public Builder model(String spec, ChatModel chatModel) { return model(ModelBackend.of(spec, chatModel)); }
        /** A model spec as the default, e.g. {@code scripted:demo.yaml} or {@code openai:gpt-4o-mini}. */
        public Builder model(String spec) { this.defaultSpec = Objects.requireNonNull(spec); this.defaultModel = null; return this; }
        /** A model for one role, overriding the role's own spec and the default. */
        public Builder roleModel(String role, ModelBackend backend) { roleModels.put(role, Objects.requireNonNull(backend)); return this; }
        /** How role model specs are resolved; by default the offline specs plus the providers on the class path. */
        public Builder resolver(ModelResolver r) { this.resolver = Objects.requireNonNull(r); return this; }
        /** Caps what each run may spend, e.g. {@code Budget.usd(0.50)}; unlimited by default. */
        public Builder budget(Budget b) { this.budget = Objects.requireNonNull(b); return this; }
        /** The most rounds (steps from the requirement) a run may take. */
        public Builder maxRounds(int n) { checkArgument(n >= 1, "maxRounds must be >= 1 but was %s", n); this.maxRounds = n; return this; }
        /** How long each run may take before it is stopped as timed out. */
        public Builder timeout(Duration d) { checkArgument(d.isPositive(), "timeout must be positive but was %s", d); this.timeout = d; return this; }
        /** Adds a listener that sees every run's events (e.g. {@code new ConsoleRenderer(System.out, false)}). */
        public Builder listener(RunListener l) { listeners.add(Objects.requireNonNull(l)); return this; }
        /** Where runs publish; a fresh in-memory bus per run by default. */
        public Builder bus(Supplier<MessageBus> factory) { this.busFactory = Objects.requireNonNull(factory); return this; }
        /** The prices costs are computed with; the bundled table by default. */
        public Builder prices(PriceTable p) { this.prices = Objects.requireNonNull(p); return this; }
        /** How retriable model errors are retried; {@link RetryPolicy#none()} turns retries off. */
        public Builder retryPolicy(RetryPolicy p) { this.retryPolicy = Objects.requireNonNull(p); return this; }
        /** What waits between retries; a test passes one that does not sleep. */
        public Builder sleeper(Sleeper s) { this.sleeper = Objects.requireNonNull(s); return this; }
        /** What runs mask (e.g. {@code Redactor.fromEnvironment().withSecret(key)}); the environment's secrets by default. */
        public Builder redactor(Redactor r) { this.redactor = Objects.requireNonNull(r); return this; }
        /** The most calls in flight to one model at once, across the team's roles. */
        public Builder concurrencyPerModel(int n) { checkArgument(n >= 1, "concurrencyPerModel must be >= 1 but was %s", n); this.concurrencyPerModel = n; return this; }
        /** Adds an interceptor around every model call of the team's runs, after Troupe's own. */
        public Builder interceptor(ModelInterceptor i) { interceptors.add(Objects.requireNonNull(i)); return this; }
        /** Records every model answer of each run to a cassette for {@code replay:<file>}. */
        public Builder recordTo(Path cassette) { this.recordTo = cassette; return this; }
        /** Where actions write files and run commands (created if missing). */
        public Builder workspace(Path dir) { this.workspace = dir; return this; }
        /**
         * Where reflective actions keep their lessons (e.g. {@code JdbcReflectionStore.open(Database.postgres(url))});
         * by default a SQLite file in the workspace ({@code .troupe/troupe.db}).
         */
        public Builder reflectionStore(ReflectionStore store) { this.reflectionStore = store; return this; }
        /**
         * Where runs write every message and completed call before going on (e.g.
         * {@code JdbcJournal.inWorkspace(dir)}), so {@link Team#resume(String)} can continue them; none by default.
         */
        public Builder journal(Journal j) { this.journal = Objects.requireNonNull(j); return this; }

        /**
         * The team; resolves the default model spec and checks the SOP.
         *
     * @throws dev.troupe.agents.error.SopValidationException when the roles' SOP has problems (each says where and what to do)
         */
        public Team build() {
            if (defaultSpec != null) {
                defaultModel = resolver.resolve(defaultSpec);   // resolved here so the resolver may be set in any order
            }
            return new Team(this);
        }
    }
}
