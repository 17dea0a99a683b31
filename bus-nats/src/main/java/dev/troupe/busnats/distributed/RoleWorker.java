package dev.troupe.busnats.distributed;

import static com.google.common.base.Preconditions.checkArgument;

import dev.troupe.agents.error.ConfigurationException;
import dev.troupe.agents.error.TroupeException;
import dev.troupe.agents.event.RunListener;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.model.Budget;
import dev.troupe.agents.model.ModelBackend;
import dev.troupe.agents.model.internal.ModelGateway;
import dev.troupe.agents.model.ModelInterceptor;
import dev.troupe.agents.model.Usage;
import dev.troupe.agents.model.internal.UsageLedger;
import dev.troupe.agents.role.Role;
import dev.troupe.agents.team.internal.StepEngine;
import dev.troupe.agents.team.internal.StepOutcome;
import dev.troupe.agents.team.Team;
import dev.troupe.busnats.NatsUnavailableException;
import dev.troupe.busnats.TeamStream;
import dev.troupe.busnats.wire.ControlCodec;
import dev.troupe.busnats.wire.ControlRecord;
import dev.troupe.busnats.wire.ControlRecord.Outcome;
import dev.troupe.busnats.wire.MessageCodec;
import io.nats.client.JetStreamSubscription;
import io.nats.client.PullSubscribeOptions;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one role of a team for every run that needs it, in its own process. Its replicas (and those
 * of every other worker of the role) share the role's durable consumer, so each message goes to one
 * of them. For a message, a replica rebuilds the role's memory of the run from the stream, takes the
 * role's step, publishes the outputs under deterministic ids, reports the step on the run's control
 * subject and only then acknowledges. A worker killed mid-step stops signalling progress, and the
 * message goes to another replica after the consumer's ack wait.
 */
public final class RoleWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RoleWorker.class);
    private static final int MAX_CACHED_RUNS = 256;

    private final TeamStream stream;
    private final Team team;
    private final Role role;
    private final ModelBackend model;
    private final StepEngine engine;
    private final String name;
    private final List<RunListener> listeners;
    private final List<ModelInterceptor> interceptors;
    private final Map<String, WorkerRun> runs = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, WorkerRun> eldest) {
            return size() > MAX_CACHED_RUNS;
        }
    };
    private final Set<String> ignoredRuns = Collections.newSetFromMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > MAX_CACHED_RUNS;
        }
    });
    private final List<Thread> replicas = new ArrayList<>();
    private final AtomicLong stepsDone = new AtomicLong();
    private final EventForwarder events;
    private volatile boolean running;

    private RoleWorker(Builder b) {
        this.stream = b.stream;
        this.team = b.team;
        this.role = roleOf(team, b.role);
        this.model = team.models().get(role.name());
        this.engine = team.engine();
        this.name = b.name != null ? b.name : role.name() + "@" + ManagementFactory.getRuntimeMXBean().getName();
        this.listeners = List.copyOf(b.listeners);
        this.interceptors = List.copyOf(b.interceptors);
        this.events = new EventForwarder(stream, name);
    }

    /** The role named {@code name} of {@code team}; a user error naming the team's roles when it has none such. */
    public static Role roleOf(Team team, String name) {
        return team.roles().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow(() ->
                new ConfigurationException("Team '" + team.name() + "' has no role '" + name + "'; its roles are "
                        + team.roles().stream().map(Role::name).toList() + "."));
    }

    /** A worker for {@code role} of {@code team} (whose roles have their models resolved) on {@code stream}. */
    public static Builder builder(TeamStream stream, Team team, String role) {
        return new Builder(stream, team, role);
    }

    public String name() {
        return name;
    }

    public Role role() {
        return role;
    }

    /** Steps this worker has finished and reported, all replicas together. */
    public long stepsDone() {
        return stepsDone.get();
    }

    /** Makes sure the role's consumer exists and starts {@code n} replicas, each taking one message at a time. */
    public synchronized RoleWorker start(int n) {
        checkArgument(n >= 1, "replicas must be >= 1 but was %s", n);
        checkArgument(!running && replicas.isEmpty(), "worker %s is already started", name);
        RoleConsumers.ensure(stream, role, team.roles());
        running = true;
        for (int i = 1; i <= n; i++) {
            int replica = i;
            replicas.add(Thread.ofVirtual().name("troupe-worker-" + role.name() + "-" + i).start(() -> serve(replica)));
        }
        return this;
    }

    private void serve(int replica) {
        String durable = RoleConsumers.durableName(role.name());
        String filter = RoleConsumers.filterSubject(stream.subjects(), role, team.roles());
        JetStreamSubscription sub = null;
        long backoffMs = 100;
        while (running) {
            try {
                if (sub == null) {
                    sub = stream.jetStream().subscribe(filter, PullSubscribeOptions.bind(stream.subjects().stream(), durable));
                }
                for (io.nats.client.Message m : sub.fetch(1, Duration.ofSeconds(1))) {
                    handle(m, replica);
                }
                backoffMs = 100;
            } catch (Exception e) {
                if (!running) {
                    break;
                }
                // The server is away (restarting) or the consumer could not be reached: retry, rebinding.
                log.warn("Worker {} replica {}: {}; retrying in {} ms", name, replica, e.toString(), backoffMs);
                sub = null;
                try {
                    Thread.sleep(backoffMs);
                } catch (InterruptedException stop) {
                    break;
                }
                backoffMs = Math.min(2000, backoffMs * 2);
            }
        }
        if (sub != null) {
            try {
                sub.unsubscribe();
            } catch (RuntimeException e) {
                log.debug("Unsubscribing replica {} of {} failed: {}", replica, name, e.toString());
            }
        }
    }

    private void handle(io.nats.client.Message nm, int replica) {
        long delivery = nm.metaData().deliveredCount();
        Message m;
        try {
            m = MessageCodec.decode(nm.getData());
        } catch (TroupeException e) {
            log.warn("Worker {}: dropping a record that is not a message: {}", name, e.getMessage());
            nm.term();
            return;
        }
        log.debug("Worker {} replica {}: {} from {} (stream #{}, delivery {})", name, replica, m.causeBy(), m.sender(),
                nm.metaData().streamSequence(), delivery);
        if (!Observers.observes(role, m)) {
            nm.ack();
            return;
        }
        WorkerRun run = runFor(m.runId());
        if (run == null) {
            nm.ack();
            return;
        }
        if (!run.stepLock.tryLock()) {
            nm.nakWithDelay(retryDelay(delivery));
            return;
        }
        try {
            RunLog runLog = run.log();
            runLog.refresh();
            if (ended(run)) {
                nm.ack();
                forget(run);
                return;
            }
            if (runLog.step(m.id(), role.name()).isPresent()) {
                nm.ack();   // done before; this is a redelivery after the report
                return;
            }
            if (waitingForEarlier(runLog, m)) {
                nm.nakWithDelay(retryDelay(delivery));   // another replica is still on an earlier message of this run
                return;
            }
            if (!m.causeBy().equals(Message.USER_REQUIREMENT) && !runLog.reportedBy(m.id())) {
                // Its step publishes its report right after it: until then the budget would not count what that step spent.
                nm.nakWithDelay(Duration.ofMillis(Math.min(500, 5 * delivery * delivery)));
                return;
            }
            Optional<ControlRecord.StepDone> report = step(run, m, delivery, nm, replica);
            if (report.isEmpty()) {
                nm.nak();   // stopping, or the run ended mid-step: let whoever is left decide
                return;
            }
            ControlRecord.StepDone r = report.get();
            flushEvents();   // the coordinator sees a step's events before its report
            stream.publish(stream.subjects().control(r.runId(), r.kind()), reportId(m.id(), role.name()), ControlCodec.encode(r));
            nm.ack();
            stepsDone.incrementAndGet();
        } finally {
            run.stepLock.unlock();
        }
    }

    private Optional<ControlRecord.StepDone> step(WorkerRun run, Message m, long delivery, io.nats.client.Message nm, int replica) {
        ControlRecord.RunOpened opened = run.opened();
        UsageLedger ledger = new UsageLedger();
        ModelGateway gateway = engine.stepGateway(run.listener(), ledger, budgetOf(opened), run.log().spent(), interceptors);
        run.beginStep(gateway);
        Thread heartbeat = Thread.ofVirtual().name("troupe-heartbeat-" + role.name()).start(() -> signalProgress(nm));
        StepOutcome outcome;
        List<String> outputs;
        try {
            opened.workspace().map(Path::of).ifPresent(StepEngine::joinWorkspace);
            RoleMemory.restore(run.agent(), RoleMemory.recall(role, run.log().messages(), m));
            outcome = engine.take(run.agent(), List.of(m), opened.maxRounds(), () -> { });
        } finally {
            heartbeat.interrupt();
            gateway.close();
            outputs = run.endStep();
        }
        return switch (outcome) {
            // Not the step's fault: leave the message unacknowledged, to be redone.
            case StepOutcome.Failed f when f.cause() instanceof NatsUnavailableException away -> throw away;
            case StepOutcome.RoundLimit r -> Optional.of(report(m, delivery, replica, Outcome.ROUND_LIMIT, r.message(), outputs,
                    ledger));
            case StepOutcome.Done d -> Optional.of(report(m, delivery, replica, Outcome.DONE, null, outputs, ledger));
            case StepOutcome.OverBudget b -> Optional.of(report(m, delivery, replica, Outcome.BUDGET_EXCEEDED, b.message(), outputs,
                    ledger));
            // Stopping, or the run ended mid-step: the step is not reported.
            case StepOutcome.Failed f when !running -> Optional.empty();
            case StepOutcome.Failed f -> Optional.of(report(m, delivery, replica, Outcome.FAILED, f.message(), outputs, ledger));
            case StepOutcome.Cancelled c -> Optional.empty();
        };
    }

    /** The run's budget as its coordinator opened it. */
    private static Budget budgetOf(ControlRecord.RunOpened o) {
        return new Budget(o.maxUsd().orElse(Double.POSITIVE_INFINITY), o.maxTokens().orElse(Long.MAX_VALUE));
    }

    private ControlRecord.StepDone report(Message m, long delivery, int replica, Outcome outcome, String error, List<String> outputs,
                                          UsageLedger ledger) {
        Map<String, Map<String, Usage>> usage = new LinkedHashMap<>();
        ledger.byRoleAndAction().forEach((r, byAction) -> usage.put(r, Map.copyOf(byAction)));
        return new ControlRecord.StepDone(m.runId(), m.id(), role.name(), name + "/" + replica, delivery, outcome,
                Optional.ofNullable(error), outputs, usage, Instant.now());
    }

    /** Tells the server the message is still being worked on, every third of the ack wait, until interrupted. */
    private void signalProgress(io.nats.client.Message nm) {
        long every = Math.max(100, stream.settings().ackWait().toMillis() / 3);
        try {
            while (true) {
                Thread.sleep(every);
                nm.inProgress();
            }
        } catch (InterruptedException done) {
            // The step ended.
        } catch (RuntimeException e) {
            log.debug("Progress signal failed: {}", e.toString());
        }
    }

    /** Whether a message of this run before {@code m} that this role observes has not been reported done yet. */
    private boolean waitingForEarlier(RunLog runLog, Message m) {
        for (Message earlier : runLog.messages()) {
            if (earlier.id().equals(m.id())) {
                return false;
            }
            if (Observers.observes(role, earlier) && runLog.step(earlier.id(), role.name()).isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private WorkerRun runFor(String runId) {
        synchronized (runs) {
            WorkerRun known = runs.get(runId);
            if (known != null) {
                return known;
            }
        }
        synchronized (runs) {
            if (ignoredRuns.contains(runId)) {
                return null;
            }
        }
        RunLog runLog = new RunLog(stream, runId);
        runLog.refresh();
        Optional<ControlRecord.RunOpened> opened = runLog.opened();
        if (opened.isEmpty()) {
            // e.g. a team run in one process on the NATS bus: no coordinator, so no worker takes part.
            log.warn("Worker {}: run {} was not opened by a coordinator (no settings in its stream); ignoring its messages", name, runId);
            synchronized (runs) {
                ignoredRuns.add(runId);
            }
            return null;
        }
        synchronized (runs) {
            return runs.computeIfAbsent(runId, id -> new WorkerRun(stream, runLog, opened.get(), role, model, listeners, events, engine));
        }
    }

    private void flushEvents() {
        try {
            events.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean ended(WorkerRun run) {
        return run.log().closed().isPresent() || Instant.now().isAfter(run.opened().deadline());
    }

    private void forget(WorkerRun run) {
        synchronized (runs) {
            runs.remove(run.runId());
        }
    }

    static String reportId(String messageId, String role) {
        return UUID.nameUUIDFromBytes(("step|" + messageId + "|" + role).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static Duration retryDelay(long delivery) {
        return Duration.ofMillis(Math.min(2000, 100 * delivery));
    }

    /** Stops taking messages; a step in flight is abandoned and its message handed back for another replica. */
    @Override
    public void close() {
        List<Thread> threads;
        synchronized (this) {
            running = false;
            threads = List.copyOf(replicas);
            replicas.clear();
        }
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
            try {
                t.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        events.close();
    }

    /** Configures a {@link RoleWorker}. */
    public static final class Builder {
        private final TeamStream stream;
        private final Team team;
        private final String role;
        private String name;
        private final List<RunListener> listeners = new ArrayList<>();
        private final List<ModelInterceptor> interceptors = new ArrayList<>();

        private Builder(TeamStream stream, Team team, String role) {
            this.stream = Objects.requireNonNull(stream);
            this.team = Objects.requireNonNull(team);
            this.role = Objects.requireNonNull(role);
        }

        /** How the worker names itself in step reports (default: role@pid@host). */
        public Builder name(String n) { this.name = n; return this; }
        /** Sees this worker's run events (progress on its own console, traces). */
        public Builder listener(RunListener l) { listeners.add(Objects.requireNonNull(l)); return this; }
        /** Goes into every step's model gateway after the team's own interceptors, between retry and the concurrency limit. */
        public Builder interceptor(ModelInterceptor i) { interceptors.add(Objects.requireNonNull(i)); return this; }

        public RoleWorker build() {
            return new RoleWorker(this);
        }
    }
}
