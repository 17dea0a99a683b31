package dev.troupe.agents.team;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.agents.error.BudgetExceededException;
import dev.troupe.agents.event.RunEvent;
import dev.troupe.agents.event.RunListener;
import dev.troupe.agents.event.RunListeners;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.message.MessageBus;
import dev.troupe.agents.message.MessageFilter;
import dev.troupe.agents.message.Subscription;
import dev.troupe.agents.model.ModelGateway;
import dev.troupe.agents.model.Usage;
import dev.troupe.agents.model.UsageLedger;
import dev.troupe.agents.role.RoleAgent;
import dev.troupe.agents.role.RunContext;
import dev.troupe.agents.role.StepCall;
import dev.troupe.agents.error.ConfigurationException;
import dev.troupe.agents.reflection.ReflectionScope;
import dev.troupe.memory.reflection.store.JdbcReflectionStore;
import dev.troupe.memory.reflection.store.ReflectionStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a team. A role with news gets a virtual thread for its step, so every role whose
 * inputs are ready works at once; the run ends when no role is working and none has news.
 */
final class Run implements RunHandle, RunContext {
    private static final Logger log = LoggerFactory.getLogger(Run.class);

    private final Team team;
    private final String runId;
    private final String requirement;
    private final MessageBus bus;
    private final RunListeners listener;
    private final UsageLedger ledger = new UsageLedger();
    private final ModelGateway gateway;
    private final CompletableFuture<RunResult> result = new CompletableFuture<>();
    private final List<Subscription> subscriptions = new ArrayList<>();
    private final Instant startedAt = Instant.now();
    private final Optional<Path> workspace;
    private final Optional<ReflectionScope> reflection;
    private final JdbcReflectionStore ownedStore;
    private final Journaling journaling;
    private final List<RoleAgent> agents = new ArrayList<>();

    // Scheduler state, guarded by "this".
    private final Map<RoleAgent, List<Message>> pending = new HashMap<>();
    private final Map<RoleAgent, Thread> running = new HashMap<>();
    private boolean finished;
    private boolean restoring;
    private Thread watchdog;

    Run(Team team, String requirement, MessageBus bus) {
        this(team, UUID.randomUUID().toString(), requirement, bus, Optional.empty());
    }

    /** A run; with {@code resumption}, the next attempt at a journaled run, which starts from what it had done. */
    Run(Team team, String runId, String requirement, MessageBus bus, Optional<Resumption> resumption) {
        this.team = team;
        this.runId = runId;
        this.requirement = requirement;
        this.bus = bus;
        this.listener = new RunListeners(team.listeners());
        ModelGateway.Builder gb = ModelGateway.builder()
                .listener(listener)
                .budget(team.budget())
                .prices(team.prices())
                .ledger(ledger)
                .retryPolicy(team.retryPolicy())
                .sleeper(team.sleeper())
                .concurrencyPerModel(team.concurrencyPerModel());
        team.interceptors().forEach(gb::addInterceptor);
        team.recordTo().ifPresent(gb::recordTo);
        this.gateway = gb.build();
        this.workspace = prepareWorkspace(team, resumption.flatMap(Resumption::workspace));
        this.journaling = resumption.map(r -> Journaling.resumed(r, ledger))
                .or(() -> team.journal().map(j -> Journaling.fresh(j.begin(runId, team.name(), requirement, workspace))))
                .orElseGet(Journaling::none);
        if (team.usesReflection()) {
            this.ownedStore = team.reflectionStore().isPresent() ? null : JdbcReflectionStore.inWorkspace(workspace.orElseThrow());
            ReflectionStore store = team.reflectionStore().orElse(ownedStore);
            this.reflection = Optional.of(new ReflectionScope(store, team.name(), requirement, workspace));
        } else {
            this.ownedStore = null;
            this.reflection = Optional.empty();
        }
    }

    private static Optional<Path> prepareWorkspace(Team team, Optional<Path> resumedIn) {
        // A resumed run goes on where its completed actions left their files.
        if (resumedIn.isPresent() && team.workspace().isPresent()
                && !resumedIn.get().toAbsolutePath().normalize().equals(team.workspace().get().toAbsolutePath().normalize())) {
            throw new ConfigurationException("The run being resumed keeps its files in " + resumedIn.get() + ", not in "
                    + team.workspace().get() + "; resume it with that workspace, or without one.");
        }
        try {
            if (!team.needsWorkspace()) {
                return Optional.empty();
            }
            Optional<Path> dir = resumedIn.or(team::workspace);
            return Optional.of(dir.isPresent() ? Files.createDirectories(dir.get())
                    : Files.createTempDirectory("troupe-" + team.name() + "-"));
        } catch (IOException e) {
            throw new ConfigurationException("Cannot create the workspace for team '" + team.name() + "': " + e.getMessage(), e);
        }
    }

    void start() {
        listener.emit(new RunEvent.RunStarted(runId, Instant.now(), team.name(), requirement));
        subscriptions.add(bus.subscribe(MessageFilter.allOf(runId),
                m -> listener.emit(new RunEvent.MessagePublished(runId, Instant.now(), m))));
        for (var role : team.roles()) {
            RoleAgent agent = new RoleAgent(role, team.models().get(role.name()), this);
            agents.add(agent);
            subscriptions.add(bus.subscribe(MessageFilter.forRole(runId, role.name(), role.watch()), m -> deliver(agent, m)));
        }
        synchronized (this) {
            watchdog = Thread.ofVirtual().name("troupe-watchdog-" + runId).start(this::watch);
        }
        try {
            if (journaling.restoredMessages().isEmpty()) {
                publish(Message.builder().runId(runId).round(0).sender("user").causeBy(Message.USER_REQUIREMENT)
                        .content(requirement).build());
            } else {
                restore();
            }
        } catch (RuntimeException e) {
            finish(RunStatus.FAILED, e.getMessage());
        }
        synchronized (this) {
            if (running.isEmpty() && pending.isEmpty()) {
                finish(RunStatus.SUCCEEDED, null);
            }
        }
    }

    /**
     * Puts the earlier attempts' messages back on the bus, which hands each role its news again
     * without starting steps; then each role replays, in order, the steps it had begun (completed
     * calls answer from the journal, the rest run), and then takes up the news no step answered.
     */
    private void restore() {
        synchronized (this) {
            restoring = true;
        }
        journaling.restoredMessages().forEach(bus::publish);
        synchronized (this) {
            restoring = false;
            for (RoleAgent agent : agents) {
                String role = agent.role().name();
                List<Message> news = pending.get(agent);
                if (news != null && news.removeIf(m -> journaling.answeredBy(role, m)) && news.isEmpty()) {
                    pending.remove(agent);
                }
                List<Journaling.ReplayStep> steps = journaling.stepsOf(role);
                if (!steps.isEmpty()) {
                    Thread t = Thread.ofVirtual().name("troupe-" + role).unstarted(
                            () -> runStep(agent, () -> steps.forEach(s -> agent.step(s.news(), s.round()))));
                    running.put(agent, t);
                    t.start();
                } else if (pending.containsKey(agent)) {
                    launch(agent);
                }
            }
        }
    }

    private void watch() {
        try {
            Thread.sleep(team.timeout().toMillis());
            finish(RunStatus.TIMED_OUT, "the run passed its time limit of " + team.timeout()
                    + "; raise it with Team.builder().timeout(...) or 'limits: {timeout: …}'");
        } catch (InterruptedException ended) {
            // The run ended first.
        }
    }

    private synchronized void deliver(RoleAgent agent, Message m) {
        if (finished) {
            return;
        }
        pending.computeIfAbsent(agent, a -> new ArrayList<>()).add(m);
        if (!restoring && !running.containsKey(agent)) {
            launch(agent);
        }
    }

    /** Starts {@code agent}'s next step on its pending news. Caller holds the lock. */
    private void launch(RoleAgent agent) {
        List<Message> news = pending.remove(agent);
        int round = 1 + news.stream().mapToInt(Message::round).max().orElse(0);
        if (round > team.maxRounds()) {
            finish(RunStatus.ROUND_LIMIT, "role '" + agent.role().name() + "' would start round " + round
                    + ", past the limit of " + team.maxRounds() + "; raise maxRounds if the SOP needs more");
            return;
        }
        Thread t = Thread.ofVirtual().name("troupe-" + agent.role().name()).unstarted(() -> runStep(agent, () -> agent.step(news, round)));
        running.put(agent, t);
        t.start();
    }

    private void runStep(RoleAgent agent, Runnable step) {
        try {
            step.run();
        } catch (BudgetExceededException e) {
            finish(RunStatus.BUDGET_EXCEEDED, e.getMessage());
        } catch (CancellationException e) {
            // finish() already recorded why.
        } catch (RuntimeException e) {
            if (!isFinished()) {
                log.debug("Step of role {} failed", agent.role().name(), e);
            }
            finish(interrupted(e) ? RunStatus.CANCELLED : RunStatus.FAILED, e.getMessage());
        } finally {
            stepEnded(agent);
        }
    }

    private static boolean interrupted(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof InterruptedException) {
                return true;
            }
        }
        return false;
    }

    private synchronized void stepEnded(RoleAgent agent) {
        running.remove(agent);
        if (finished) {
            return;
        }
        if (pending.containsKey(agent)) {
            launch(agent);
        }
        if (running.isEmpty() && pending.isEmpty()) {
            finish(RunStatus.SUCCEEDED, null);
        }
    }

    private synchronized boolean isFinished() {
        return finished;
    }

    /**
     * Ends the run once. Callers may hold the scheduler lock (and the bus may hold its own), so the
     * result is assembled on a fresh thread: reading the history takes the bus lock.
     */
    private void finish(RunStatus status, String error) {
        List<Thread> toInterrupt;
        synchronized (this) {
            if (finished) {
                return;
            }
            finished = true;
            toInterrupt = new ArrayList<>(running.values());
            toInterrupt.remove(Thread.currentThread());
            if (watchdog != null && watchdog != Thread.currentThread()) {
                toInterrupt.add(watchdog);
            }
            pending.clear();
        }
        toInterrupt.forEach(Thread::interrupt);
        Thread.ofVirtual().name("troupe-finish-" + runId).start(() -> complete(status, error));
    }

    private void complete(RunStatus status, String error) {
        subscriptions.forEach(Subscription::cancel);
        gateway.close();
        if (ownedStore != null) {
            ownedStore.close();
        }
        RunResult r = new RunResult(runId, team.name(), status, bus.history(runId), ledger.byRoleAndAction(), ledger.total(),
                Duration.between(startedAt, Instant.now()), Optional.ofNullable(error), workspace);
        journaling.finished(status, Optional.ofNullable(error));
        listener.emit(new RunEvent.RunFinished(runId, Instant.now(), status.name(), r.wallTime(), r.totalUsage(), r.error()));
        result.complete(r);
    }

    // RunContext

    @Override
    public String runId() {
        return runId;
    }

    @Override
    public String requirement() {
        return requirement;
    }

    @Override
    public ModelGateway gateway() {
        return gateway;
    }

    @Override
    public RunListener listener() {
        return listener;
    }

    @Override
    public void publish(Message message) {
        if (isFinished()) {
            throw new CancellationException("run " + runId + " has ended; message of " + message.causeBy() + " dropped");
        }
        // Journaled first: no role sees a message the journal could lose.
        if (journaling.record(message)) {
            bus.publish(message);
        }
    }

    @Override
    public JsonNode once(StepCall call, Supplier<JsonNode> work) {
        return journaling.once(call, work, role -> ledger.byRole().getOrDefault(role, Usage.ZERO));
    }

    @Override
    public Optional<ReflectionScope> reflection() {
        return reflection;
    }

    @Override
    public Optional<Path> workspace() {
        return workspace;
    }

    @Override
    public com.google.common.collect.ImmutableList<Message> history() {
        return bus.history(runId);
    }

    // RunHandle

    @Override
    public RunResult await() throws InterruptedException {
        try {
            return result.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("run " + runId + " ended abnormally", e.getCause());
        }
    }

    @Override
    public Optional<RunResult> await(Duration timeout) throws InterruptedException {
        try {
            return Optional.of(result.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException("run " + runId + " ended abnormally", e.getCause());
        }
    }

    @Override
    public void cancel() {
        finish(RunStatus.CANCELLED, "the run was cancelled");
    }

    @Override
    public boolean isDone() {
        return result.isDone();
    }
}
