package dev.troupe.agents.team;

import dev.troupe.agents.error.BudgetExceededException;
import dev.troupe.agents.event.RunEvent;
import dev.troupe.agents.event.RunListener;
import dev.troupe.agents.event.RunListeners;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.message.MessageBus;
import dev.troupe.agents.message.MessageFilter;
import dev.troupe.agents.message.Subscription;
import dev.troupe.agents.model.ModelGateway;
import dev.troupe.agents.model.UsageLedger;
import dev.troupe.agents.role.RoleAgent;
import dev.troupe.agents.role.RunContext;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a team. A role with news gets a virtual thread for its step, so every role whose
 * inputs are ready works at once; the run ends when no role is working and none has news.
 */
final class Run implements RunHandle, RunContext {
    private static final Logger log = LoggerFactory.getLogger(Run.class);

    private final Team team;
    private final String runId = UUID.randomUUID().toString();
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

    // Scheduler state, guarded by "this".
    private final Map<RoleAgent, List<Message>> pending = new HashMap<>();
    private final Map<RoleAgent, Thread> running = new HashMap<>();
    private boolean finished;
    private Thread watchdog;

    Run(Team team, String requirement, MessageBus bus) {
        this.team = team;
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
        this.workspace = prepareWorkspace(team);
        if (team.usesReflection()) {
            this.ownedStore = team.reflectionStore().isPresent() ? null : JdbcReflectionStore.inWorkspace(workspace.orElseThrow());
            ReflectionStore store = team.reflectionStore().orElse(ownedStore);
            this.reflection = Optional.of(new ReflectionScope(store, team.name(), requirement, workspace));
        } else {
            this.ownedStore = null;
            this.reflection = Optional.empty();
        }
    }

    private static Optional<Path> prepareWorkspace(Team team) {
        try {
            if (!team.needsWorkspace()) {
                return Optional.empty();
            }
            return Optional.of(team.workspace().isPresent() ? Files.createDirectories(team.workspace().get())
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
            subscriptions.add(bus.subscribe(MessageFilter.forRole(runId, role.name(), role.watch()), m -> deliver(agent, m)));
        }
        synchronized (this) {
            watchdog = Thread.ofVirtual().name("troupe-watchdog-" + runId).start(this::watch);
        }
        bus.publish(Message.builder().runId(runId).round(0).sender("user").causeBy(Message.USER_REQUIREMENT)
                .content(requirement).build());
        synchronized (this) {
            if (running.isEmpty() && pending.isEmpty()) {
                finish(RunStatus.SUCCEEDED, null);
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
        if (!running.containsKey(agent)) {
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
        Thread t = Thread.ofVirtual().name("troupe-" + agent.role().name()).unstarted(() -> runStep(agent, news, round));
        running.put(agent, t);
        t.start();
    }

    private void runStep(RoleAgent agent, List<Message> news, int round) {
        try {
            agent.step(news, round);
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
        bus.publish(message);
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
