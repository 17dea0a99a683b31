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
import dev.troupe.memory.error.MissingDriverException;
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
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a team. Every role whose inputs are ready works at once: a role with news gets a
 * thread for its step, except that the thread of a step that has just published its last message
 * takes up the news itself (so a chain runs on one thread, and {@link Team#run} on the caller's).
 * The run ends when no role is working and none has news.
 */
final class Run extends FutureRunHandle implements RunContext {
    private static final Logger log = LoggerFactory.getLogger(Run.class);

    private final Team team;
    private final String runId;
    private final String requirement;
    private final MessageBus bus;
    private final RunListeners listener;
    private final UsageLedger ledger = new UsageLedger();
    private final ModelGateway gateway;
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
    /** Agents with news that waits for the thread of the step that published it. */
    private final List<RoleAgent> ready = new ArrayList<>();
    /** Threads the run interrupted when it ended; a caller's thread among them gets its flag cleared. */
    private final Set<Thread> interruptedHere = new HashSet<>();
    private boolean finished;
    private boolean restoring;
    /** The thread publishing the last message of its step, whose news it takes up itself. */
    private Thread deferring;
    /** The thread in {@link #runHere}, and whether it was interrupted from outside while doing a step. */
    private Thread caller;
    private boolean callerInterrupted;
    private ScheduledFuture<?> timeoutTask;

    /** One daemon thread for every run's time limit. */
    private static final ScheduledThreadPoolExecutor TIMEOUTS = timeouts();

    /** The embedded default store of reflective teams, whose SQLite driver the application may not carry. */
    private static JdbcReflectionStore workspaceLessons(Path workspace) {
        try {
            return JdbcReflectionStore.inWorkspace(workspace);
        } catch (MissingDriverException e) {
            throw new ConfigurationException(e.getMessage() + " Reflective actions keep their lessons in the workspace's"
                    + " SQLite file unless Team.Builder.reflectionStore gives them another store.", e);
        }
    }

    private static ScheduledThreadPoolExecutor timeouts() {
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "troupe-run-timeouts");
            t.setDaemon(true);
            return t;
        });
        e.setRemoveOnCancelPolicy(true);
        return e;
    }

    Run(Team team, String requirement, MessageBus bus) {
        this(team, Message.randomId(), requirement, bus, Optional.empty());
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
                .redactor(team.redactor())
                .concurrencyPerModel(team.concurrencyPerModel());
        team.interceptors().forEach(gb::addInterceptor);
        team.recordTo().ifPresent(gb::recordTo);
        this.gateway = gb.build();
        this.workspace = prepareWorkspace(team, resumption.flatMap(Resumption::workspace));
        this.journaling = resumption.map(r -> Journaling.resumed(r, ledger))
                .or(() -> team.journal().map(j -> Journaling.fresh(j.begin(runId, team.name(), requirement, workspace))))
                .orElseGet(Journaling::none);
        if (team.usesReflection()) {
            this.ownedStore = team.reflectionStore().isPresent() ? null : workspaceLessons(workspace.orElseThrow());
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

    /** Starts the run: the requirement's first steps run on fresh threads, and this method returns at once. */
    void start() {
        begin(false);
    }

    /**
     * Runs the team on the calling thread and returns when the run has ended. The caller's thread
     * takes the steps one after another as long as the SOP is a chain; where the SOP allows
     * several roles at once, the others get threads of their own. A thread the run interrupted
     * (a timeout, a failure elsewhere) is not left interrupted; the caller's own interrupt cancels
     * the run and stays set.
     */
    RunResult runHere() {
        Thread self = Thread.currentThread();
        synchronized (this) {
            caller = self;
        }
        RoleAgent first = begin(true);
        if (first != null) {
            work(first);
        }
        synchronized (this) {
            caller = null;
            if (interruptedHere.remove(self)) {
                Thread.interrupted();
            }
            if (callerInterrupted) {
                self.interrupt();
            }
        }
        return awaitOrCancel(Duration.ofSeconds(5));
    }

    /**
     * Publishes the requirement (or restores a resumed run). With {@code here}, the news the
     * requirement brings waits for the calling thread, and the agent it should work for first is
     * returned (already marked running), or null.
     */
    private RoleAgent begin(boolean here) {
        if (listener.wantsEvents()) {
            listener.emit(new RunEvent.RunStarted(runId, Instant.now(), team.name(), requirement));
            subscriptions.add(bus.subscribe(MessageFilter.allOf(runId),
                    m -> listener.emit(new RunEvent.MessagePublished(runId, Instant.now(), m))));
        }
        for (var role : team.roles()) {
            RoleAgent agent = new RoleAgent(role, team.models().get(role.name()), this);
            agents.add(agent);
            subscriptions.add(bus.subscribe(MessageFilter.forRole(runId, role.name(), role.watch()), m -> deliver(agent, m)));
        }
        ScheduledFuture<?> limit = TIMEOUTS.schedule(() -> Thread.ofVirtual().name("troupe-timeout-" + runId).start(
                () -> finish(RunStatus.TIMED_OUT, "the run passed its time limit of " + team.timeout()
                        + "; raise it with Team.builder().timeout(...) or 'limits: {timeout: …}'")),
                team.timeout().toMillis(), TimeUnit.MILLISECONDS);
        synchronized (this) {
            timeoutTask = limit;
        }
        try {
            if (journaling.restoredMessages().isEmpty()) {
                Message first = Message.builder().runId(runId).round(0).sender("user").causeBy(Message.USER_REQUIREMENT)
                        .content(requirement).build();
                if (here) {
                    publishLast(first);
                } else {
                    publish(first);
                }
            } else {
                restore();
            }
        } catch (RuntimeException e) {
            finish(RunStatus.FAILED, e.getMessage());
        }
        return nextFor(null);
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
                    Thread t = Thread.ofVirtual().name("troupe-" + role).unstarted(() -> {
                        runStep(agent, () -> steps.forEach(s -> agent.step(s.news(), s.round())));
                        work(nextFor(agent));
                    });
                    running.put(agent, t);
                    t.start();
                } else if (pending.containsKey(agent)) {
                    launch(agent);
                }
            }
        }
    }

    private synchronized void deliver(RoleAgent agent, Message m) {
        if (finished) {
            return;
        }
        pending.computeIfAbsent(agent, a -> new ArrayList<>()).add(m);
        if (restoring || running.containsKey(agent)) {
            return;
        }
        if (Thread.currentThread() == deferring) {
            // The publisher's step is over once this publish returns: its thread takes the news up.
            if (!ready.contains(agent)) {
                ready.add(agent);
            }
        } else {
            launch(agent);
        }
    }

    /** Starts {@code agent}'s next step on its pending news on a thread of its own. Caller holds the lock. */
    private void launch(RoleAgent agent) {
        Runnable step = take(agent);
        if (step == null) {
            return;
        }
        Thread t = Thread.ofVirtual().name("troupe-" + agent.role().name()).unstarted(() -> {
            runStep(agent, step);
            work(nextFor(agent));
        });
        running.put(agent, t);
        t.start();
    }

    /**
     * Removes {@code agent}'s pending news and returns its step, or null when the round limit ends
     * the run. Caller holds the lock.
     */
    private Runnable take(RoleAgent agent) {
        List<Message> news = pending.remove(agent);
        int latest = 0;
        for (Message m : news) {
            latest = Math.max(latest, m.round());
        }
        int round = latest + 1;
        if (round > team.maxRounds()) {
            finish(RunStatus.ROUND_LIMIT, "role '" + agent.role().name() + "' would start round " + round
                    + ", past the limit of " + team.maxRounds() + "; raise maxRounds if the SOP needs more");
            return null;
        }
        return () -> agent.step(news, round);
    }

    /** Runs steps on this thread, starting with {@code agent}'s (already marked running), while there is news for it. */
    private void work(RoleAgent agent) {
        while (agent != null) {
            RoleAgent current = agent;
            Runnable step;
            synchronized (this) {
                step = finished ? null : take(current);
                if (step == null) {
                    running.remove(current);
                    agent = null;
                    continue;
                }
            }
            runStep(current, step);
            agent = nextFor(current);
        }
    }

    private void runStep(RoleAgent agent, Runnable step) {
        try {
            try {
                step.run();
            } finally {
                if (journaling.active()) {
                    journaling.flush(agent.role().name());
                }
            }
        } catch (BudgetExceededException e) {
            finish(RunStatus.BUDGET_EXCEEDED, e.getMessage());
        } catch (CancellationException e) {
            // Usually finish() has recorded why; otherwise someone else interrupted this thread.
            cancelledFromOutside();
        } catch (RuntimeException e) {
            if (!isFinished()) {
                log.debug("Step of role {} failed", agent.role().name(), e);
            }
            if (interrupted(e)) {
                cancelledFromOutside();
            } else {
                finish(RunStatus.FAILED, e.getMessage());
            }
        } catch (Error e) {
            finish(RunStatus.FAILED, "role '" + agent.role().name() + "' hit " + e);
            throw e;
        }
    }

    /**
     * A step stopped because its thread was interrupted. Unless the run did that itself, the
     * interrupt came from outside (the caller of {@link #runHere}, or whoever owns the thread):
     * the run is cancelled, and the caller's interrupt is restored when it returns.
     */
    private void cancelledFromOutside() {
        synchronized (this) {
            if (interruptedHere.contains(Thread.currentThread())) {
                return;
            }
            if (Thread.currentThread() == caller) {
                callerInterrupted = true;
            }
        }
        finish(RunStatus.CANCELLED, "the run was cancelled: its thread was interrupted");
    }

    private static boolean interrupted(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof InterruptedException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Called when this thread's step of {@code ended} is over (null: no step yet). Picks the agent
     * this thread works for next — the same agent when news came in meanwhile, else one whose news
     * waited for this thread — and starts the other waiting agents on threads of their own; ends the
     * run when nothing is running or pending. Returns the next agent, marked running, or null.
     */
    private RoleAgent nextFor(RoleAgent ended) {
        boolean done;
        RoleAgent next = null;
        synchronized (this) {
            if (ended != null) {
                running.remove(ended);
            }
            if (finished) {
                ready.clear();
                return null;
            }
            if (ended != null && pending.containsKey(ended)) {
                next = ended;
            }
            for (RoleAgent waiting : ready) {
                if (!pending.containsKey(waiting) || running.containsKey(waiting) || waiting == next) {
                    continue;
                }
                if (next == null) {
                    next = waiting;
                } else {
                    launch(waiting);
                }
            }
            ready.clear();
            if (next != null) {
                running.put(next, Thread.currentThread());
                return next;
            }
            done = running.isEmpty() && pending.isEmpty();
        }
        if (done) {
            finish(RunStatus.SUCCEEDED, null);
        }
        return null;
    }

    private synchronized boolean isFinished() {
        return finished;
    }

    /**
     * Ends the run once: stops its steps and assembles the result. The result is assembled on
     * this thread unless it holds a lock the assembly needs (the bus's, during a delivery), in
     * which case a fresh thread does it.
     */
    private void finish(RunStatus status, String error) {
        synchronized (this) {
            if (finished) {
                return;
            }
            finished = true;
            Thread self = Thread.currentThread();
            for (Thread t : running.values()) {
                if (t != self) {
                    // Interrupted under the lock, so a thread that checks interruptedHere after the run ends sees its mark.
                    interruptedHere.add(t);
                    t.interrupt();
                }
            }
            pending.clear();
            ready.clear();
            if (timeoutTask != null) {
                timeoutTask.cancel(false);
            }
        }
        if (Thread.holdsLock(this) || bus.isDeliveringOnThisThread()) {
            Thread.ofVirtual().name("troupe-finish-" + runId).start(() -> complete(status, error));
        } else {
            complete(status, error);
        }
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
        ended(r);
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
    public void publishLast(Message message) {
        synchronized (this) {
            deferring = Thread.currentThread();
        }
        try {
            publish(message);
        } finally {
            synchronized (this) {
                deferring = null;
            }
        }
    }

    @Override
    public boolean journaled() {
        return journaling.active();
    }

    @Override
    public JsonNode once(StepCall call, Supplier<JsonNode> work) {
        return journaling.once(call, work, ledger::ofRole, false);
    }

    @Override
    public JsonNode onceThenPublish(StepCall call, Supplier<JsonNode> work) {
        return journaling.once(call, work, ledger::ofRole, true);
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
    public void cancel() {
        finish(RunStatus.CANCELLED, "the run was cancelled");
    }

}
