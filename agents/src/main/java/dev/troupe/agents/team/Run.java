package dev.troupe.agents.team;

import dev.troupe.agents.team.internal.FutureRunHandle;
import dev.troupe.agents.team.internal.StepEngine;
import dev.troupe.agents.team.internal.StepOutcome;
import static com.google.common.base.Preconditions.checkState;

import dev.troupe.agents.event.RunEvent;
import dev.troupe.agents.event.internal.RunListeners;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.message.MessageBus;
import dev.troupe.agents.message.MessageFilter;
import dev.troupe.agents.role.internal.RoleAgent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;

/**
 * One run of a team in this process: threads for the steps the {@link Schedule} says may run,
 * each step taken through the team's {@link StepEngine}. A role with news gets a thread for its
 * step, except that the thread of a step that has just published its last message takes up the
 * news itself (so a chain runs on one thread, and {@link Team#run} on the caller's). A delivery
 * only queues news; the publisher starts the steps it brings once its publish has returned, so
 * nothing is scheduled under the bus's lock. The run ends when no role is working and none has news.
 */
final class Run extends FutureRunHandle {

    /**
     * The publish under way on a thread, and what the bus delivered meanwhile: scheduled once the
     * publish returns. One per thread, reused from publish to publish (a chain publishes on one thread).
     */
    private static final class Publishing {
        Schedule.From from;
        boolean active;
        /** Role, message, role, message…: what the bus delivered during the publish. */
        final List<Object> delivered = new ArrayList<>(4);
    }

    private final Team team;
    private final StepEngine engine;
    private final String runId;
    private final String requirement;
    private final RunListeners listener;
    private final Instant startedAt = Instant.now();
    private final RunResources resources;
    private final List<RoleAgent> agents = new ArrayList<>();
    private final ThreadLocal<Publishing> publishing = ThreadLocal.withInitial(Publishing::new);
    /** Set while this thread is in one of the run's own bus handlers (the bus may hold a lock then). */
    private final ThreadLocal<Boolean> delivering = new ThreadLocal<>();

    // Guarded by "this".
    private final Schedule<RoleAgent, Thread> schedule = new Schedule<>();
    /** Threads the run interrupted when it ended; a caller's thread among them gets its flag cleared. */
    private final Set<Thread> interruptedHere = new HashSet<>();
    private boolean restoring;
    /** The thread in {@link #runHere}, and whether it was interrupted from outside while doing a step. */
    private Thread caller;
    private boolean callerInterrupted;

    Run(Team team, String requirement, MessageBus bus) {
        this(team, Message.randomId(), requirement, bus, Optional.empty());
    }

    /** A run; with {@code resumption}, the next attempt at a journaled run, which starts from what it had done. */
    Run(Team team, String runId, String requirement, MessageBus bus, Optional<Resumption> resumption) {
        this.team = team;
        this.engine = team.engine();
        this.runId = runId;
        this.requirement = requirement;
        this.listener = new RunListeners(team.listeners());
        this.resources = RunResources.open(team, runId, requirement, bus, listener, resumption);
    }

    /** Starts the run: the requirement's first steps run on fresh threads, and this method returns at once. */
    void start() {
        Step first = begin(false);
        // Only a publish that is the last of a step leaves news for the publisher's thread, and this one is not.
        checkState(first == null, "run %s left the step of %s to a thread that returns", runId, first);
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
        Step first = begin(true);
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

    /** A role's step to take: its news, handed over by the schedule. */
    private record Step(RoleAgent agent, List<Message> news) {}

    /**
     * Publishes the requirement (or restores a resumed run). With {@code here}, the news the
     * requirement brings waits for the calling thread, and the step it should take first is returned.
     */
    private Step begin(boolean here) {
        MessageBus bus = resources.bus;
        if (listener.wantsEvents()) {
            listener.emit(new RunEvent.RunStarted(runId, Instant.now(), team.name(), requirement));
            resources.hold(bus.subscribe(MessageFilter.allOf(runId),
                    m -> inDelivery(() -> listener.emit(new RunEvent.MessagePublished(runId, Instant.now(), m)))));
        }
        AgentContext context = new AgentContext(runId, requirement, resources.gateway, listener, resources.workspace,
                resources.reflection, this::publish,
                resources.journaling.active() ? Optional.of((call, work, next) ->
                        resources.journaling.once(call, work, resources.ledger::ofRole, next)) : Optional.empty(),
                () -> bus.history(runId));
        for (var role : team.roles()) {
            RoleAgent agent = new RoleAgent(role, team.models().get(role.name()), context);
            agents.add(agent);
            resources.hold(bus.subscribe(MessageFilter.forRole(runId, role.name(), role.watch()), m -> deliver(agent, m)));
        }
        resources.timeLimit(team.timeout(), runId, () -> finish(RunStatus.TIMED_OUT, engine.timedOut()));
        try {
            if (resources.journaling.restoredMessages().isEmpty()) {
                Message first = Message.builder().runId(runId).round(0).sender("user").causeBy(Message.USER_REQUIREMENT)
                        .content(requirement).build();
                publish(first, here);
            } else {
                restore();
            }
        } catch (RuntimeException e) {
            finish(RunStatus.FAILED, e.getMessage());
        }
        return after(null);
    }

    /**
     * Puts the earlier attempts' messages back on the bus, which hands each role its news again
     * without starting steps; then each role replays, in order, the steps it had begun (completed
     * calls answer from the journal, the rest run), and then takes up the news no step answered.
     */
    private void restore() {
        Journaling journaling = resources.journaling;
        synchronized (this) {
            restoring = true;
        }
        journaling.restoredMessages().forEach(m -> publishThenSchedule(m, Schedule.From.RESTORE));
        synchronized (this) {
            restoring = false;
            for (RoleAgent agent : agents) {
                String role = agent.role().name();
                schedule.dropNews(agent, m -> journaling.answeredBy(role, m));
                List<Journaling.ReplayStep> steps = journaling.stepsOf(role);
                if (!steps.isEmpty()) {
                    Thread t = Thread.ofVirtual().name("troupe-" + role).unstarted(() -> {
                        replay(agent, steps);
                        work(after(agent));
                    });
                    schedule.replaying(agent, t);
                    t.start();
                } else if (schedule.hasNews(agent)) {
                    launch(agent);
                }
            }
        }
    }

    /**
     * A bus handler. A delivery during one of the run's own publishes is only noted, and scheduled
     * by the publisher once the bus lets go (see {@link #publish}); from a bus that delivers on a
     * thread of its own, it is scheduled here.
     */
    private void deliver(RoleAgent agent, Message m) {
        Publishing p = publishing.get();
        if (p.active) {
            p.delivered.add(agent);
            p.delivered.add(m);
            return;
        }
        inDelivery(() -> {
            synchronized (this) {
                if (schedule.deliver(agent, m, restoring ? Schedule.From.RESTORE : Schedule.From.STEP)) {
                    launch(agent);
                }
            }
        });
    }

    private void inDelivery(Runnable handler) {
        delivering.set(Boolean.TRUE);
        try {
            handler.run();
        } finally {
            delivering.remove();
        }
    }

    /** Starts {@code agent}'s next step on its pending news on a thread of its own. Caller holds the lock. */
    private void launch(RoleAgent agent) {
        Step[] step = new Step[1];
        Thread t = Thread.ofVirtual().name("troupe-" + agent.role().name()).unstarted(() -> work(step[0]));
        Optional<List<Message>> news = schedule.begin(agent, t);
        if (news.isEmpty()) {
            return;
        }
        step[0] = new Step(agent, news.get());
        t.start();
    }

    /** Takes {@code step}, and then the steps the schedule hands this thread, until it hands none or the run ends. */
    private void work(Step step) {
        while (step != null) {
            RoleAgent agent = step.agent();
            List<Message> news = step.news();
            String role = agent.role().name();
            if (!goesOn(role, () -> engine.take(agent, news, team.maxRounds(), () -> flushJournal(role)))) {
                return;
            }
            step = after(agent);
        }
    }

    /** Replays, in order, the steps {@code agent} had begun in an earlier attempt. */
    private void replay(RoleAgent agent, List<Journaling.ReplayStep> steps) {
        String role = agent.role().name();
        goesOn(role, () -> engine.take(role, () -> {
            try {
                steps.forEach(s -> agent.step(s.news(), s.round()));
            } finally {
                flushJournal(role);
            }
        }));
    }

    private void flushJournal(String role) {
        if (resources.journaling.active()) {
            resources.journaling.flush(role);
        }
    }

    /**
     * Takes a step and ends the run if its outcome says so; true when the thread may take up what
     * the step left. An Error (out of memory…) fails the run and passes through.
     */
    private boolean goesOn(String role, Supplier<StepOutcome> step) {
        StepOutcome outcome;
        try {
            outcome = step.get();
        } catch (Error e) {
            finish(RunStatus.FAILED, "role '" + role + "' hit " + e);
            throw e;
        }
        switch (outcome) {
            case StepOutcome.Done d -> { }
            case StepOutcome.RoundLimit r -> {
                finish(RunStatus.ROUND_LIMIT, r.message());
                return false;
            }
            case StepOutcome.OverBudget b -> finish(RunStatus.BUDGET_EXCEEDED, b.message());
            // Usually finish() has recorded why; otherwise someone else interrupted this thread.
            case StepOutcome.Cancelled c -> cancelledFromOutside();
            case StepOutcome.Failed f -> finish(RunStatus.FAILED, f.message());
        }
        return true;
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

    /**
     * This thread's step of {@code ended} is over (null: it took none yet). Returns the step it
     * takes next, if the schedule hands it one, after starting the other waiting roles on threads
     * of their own; ends the run when nothing is running or pending.
     */
    private Step after(RoleAgent ended) {
        Schedule.Next<RoleAgent> next;
        synchronized (this) {
            next = schedule.after(ended, Thread.currentThread());
            next.start().forEach(this::launch);
        }
        if (next.quiescent()) {
            finish(RunStatus.SUCCEEDED, null);
        }
        return next.continueWith().map(a -> new Step(a, next.news())).orElse(null);
    }

    private synchronized boolean isFinished() {
        return schedule.finished();
    }

    /**
     * Ends the run once: stops its steps and assembles the result. The result is assembled on this
     * thread unless it is in one of the run's bus handlers (the bus may hold its lock), in which
     * case a fresh thread does it.
     */
    private void finish(RunStatus status, String error) {
        synchronized (this) {
            Optional<Collection<Thread>> working = schedule.finish();
            if (working.isEmpty()) {
                return;
            }
            Thread self = Thread.currentThread();
            for (Thread t : working.get()) {
                if (t != self) {
                    // Interrupted under the lock, so a thread that checks interruptedHere after the run ends sees its mark.
                    interruptedHere.add(t);
                    t.interrupt();
                }
            }
        }
        resources.stopTimeLimit();
        if (delivering.get() != null) {
            Thread.ofVirtual().name("troupe-finish-" + runId).start(() -> complete(status, error));
        } else {
            complete(status, error);
        }
    }

    private void complete(RunStatus status, String error) {
        resources.close();
        RunResult r = new RunResult(runId, team.name(), status, resources.bus.history(runId), resources.ledger.byRoleAndAction(),
                resources.ledger.total(), Duration.between(startedAt, Instant.now()), Optional.ofNullable(error), resources.workspace);
        resources.journaling.finished(status, Optional.ofNullable(error));
        listener.emit(new RunEvent.RunFinished(runId, Instant.now(), status.name(), r.wallTime(), r.totalUsage(), r.error()));
        ended(r);
    }

    /**
     * An agent's publish: journaled first (no role sees a message the journal could lose), then on
     * the bus, then scheduled: the news it brought is queued and the steps it lets start are started.
     * With {@code last}, the publishing step returns right after, and its thread takes up the news it brings.
     */
    private void publish(Message message, boolean last) {
        if (isFinished()) {
            throw new CancellationException("run " + runId + " has ended; message of " + message.causeBy() + " dropped");
        }
        if (resources.journaling.record(message)) {
            publishThenSchedule(message, last ? Schedule.From.LAST_OF_STEP : Schedule.From.STEP);
        }
    }

    private void publishThenSchedule(Message message, Schedule.From from) {
        Publishing p = publishing.get();
        if (p.active) {
            // A publish from inside a delivery (a listener): the bus delivers it after the current one.
            resources.bus.publish(message);
            return;
        }
        p.active = true;
        p.from = from;
        try {
            resources.bus.publish(message);
        } finally {
            p.active = false;
        }
        if (p.delivered.isEmpty()) {
            return;
        }
        try {
            synchronized (this) {
                for (int i = 0; i < p.delivered.size(); i += 2) {
                    RoleAgent agent = (RoleAgent) p.delivered.get(i);
                    if (schedule.deliver(agent, (Message) p.delivered.get(i + 1), p.from, Thread.currentThread())) {
                        launch(agent);
                    }
                }
            }
        } finally {
            p.delivered.clear();
        }
    }

    @Override
    public String runId() {
        return runId;
    }

    @Override
    public void cancel() {
        finish(RunStatus.CANCELLED, "the run was cancelled");
    }
}
