package dev.troupe.agents.team;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableListMultimap;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.model.Usage;
import dev.troupe.agents.model.internal.UsageLedger;
import dev.troupe.agents.role.CallOutcome;
import dev.troupe.agents.role.StepCall;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's side of its journal: writes each message and each completed call before the run goes
 * on, and in a resumed run knows what the earlier attempts did: the messages to put back on the
 * bus, the calls to answer from the journal, and per role the steps to replay.
 */
final class Journaling {
    private static final Logger log = LoggerFactory.getLogger(Journaling.class);

    /** A step a role had begun before the run stopped: replaying it rebuilds the role's state. */
    record ReplayStep(ImmutableList<Message> news, int round) {}

    private final Optional<Journal.Session> session;
    private final ImmutableList<Message> restored;
    private final ImmutableSet<String> restoredIds;
    private final ImmutableMap<String, CompletedCall> completed;
    private final ImmutableListMultimap<String, ReplayStep> steps;
    /** Per role, a completed call whose journal entry waits for the message its action publishes next. */
    private final Map<String, CompletedCall> pending = new java.util.concurrent.ConcurrentHashMap<>();

    private Journaling(Optional<Journal.Session> session, ImmutableList<Message> restored, ImmutableMap<String, CompletedCall> completed,
                       ImmutableListMultimap<String, ReplayStep> steps) {
        this.session = session;
        this.restored = restored;
        this.restoredIds = restored.stream().map(Message::id).collect(ImmutableSet.toImmutableSet());
        this.completed = completed;
        this.steps = steps;
    }

    private static final Journaling NONE = new Journaling(Optional.empty(), ImmutableList.of(), ImmutableMap.of(),
            ImmutableListMultimap.of());

    /** A run without a journal. */
    static Journaling none() {
        return NONE;
    }

    /** A new run writing to {@code session}. */
    static Journaling fresh(Journal.Session session) {
        return new Journaling(Optional.of(session), ImmutableList.of(), ImmutableMap.of(), ImmutableListMultimap.of());
    }

    /**
     * A resumed run. What the earlier attempts spent is booked on {@code ledger} at once, so the
     * budget counts it before any new call starts.
     */
    static Journaling resumed(Resumption r, UsageLedger ledger) {
        Map<String, Message> byId = new LinkedHashMap<>();
        r.messages().forEach(m -> byId.put(m.id(), m));
        Map<String, CompletedCall> completed = new LinkedHashMap<>();
        // The last call of each step: a failure there ended the step (and the run), so it runs again rather than replays.
        Map<String, Integer> lastIndex = new java.util.HashMap<>();
        r.calls().forEach(c -> lastIndex.merge(c.call().role() + "\n" + c.call().step(), c.call().index(), Math::max));
        // Calls arrive in completion order; a role's steps never overlap, so its calls group into steps in order.
        Map<String, ReplayStep> stepsInOrder = new LinkedHashMap<>();
        ImmutableListMultimap.Builder<String, ReplayStep> steps = ImmutableListMultimap.builder();
        for (CompletedCall c : r.calls()) {
            StepCall call = c.call();
            ledger.add(call.role(), call.action(), c.usage());
            if (c.outcome() instanceof CallOutcome.Failed && lastIndex.get(call.role() + "\n" + call.step()) == call.index()) {
                continue;
            }
            completed.put(call.key(), c);
            stepsInOrder.computeIfAbsent(call.role() + "\n" + call.step(), k -> {
                ImmutableList<Message> news = call.news().stream().map(id -> {
                    Message m = byId.get(id);
                    if (m == null) {
                        throw new IllegalStateException("the journal of run " + r.runId() + " is inconsistent: a step of role '"
                                + call.role() + "' answered message " + id + ", which the journal does not hold");
                    }
                    return m;
                }).collect(ImmutableList.toImmutableList());
                ReplayStep s = new ReplayStep(news, call.round());
                steps.put(call.role(), s);
                return s;
            });
        }
        return new Journaling(Optional.of(r.session()), r.messages(), ImmutableMap.copyOf(completed), steps.build());
    }

    /** Whether calls are journaled or answered from a journal: false for a run without one. */
    boolean active() {
        return session.isPresent();
    }

    /** The messages of the earlier attempts, in publish order. */
    ImmutableList<Message> restoredMessages() {
        return restored;
    }

    /** The steps {@code role} had begun, in order; the last may be unfinished. */
    ImmutableList<ReplayStep> stepsOf(String role) {
        return steps.get(role);
    }

    /** Whether {@code m} is news that one of {@code role}'s replayed steps answers. */
    boolean answeredBy(String role, Message m) {
        return steps.get(role).stream().anyMatch(s -> s.news().stream().anyMatch(n -> n.id().equals(m.id())));
    }

    /**
     * Journals a message about to be published. Returns false when an earlier attempt published it
     * already (a replayed step publishes its messages again, with the same ids): it is on the bus.
     */
    boolean record(Message m) {
        CompletedCall call = pending.isEmpty() ? null : pending.remove(m.sender());
        if (restoredIds.contains(m.id())) {
            if (call != null) {
                session.orElseThrow().completed(call);
            }
            return false;
        }
        if (session.isPresent()) {
            if (call != null) {
                session.get().completed(call, m);
            } else {
                session.get().message(m);
            }
        }
        return true;
    }

    /** Writes the call of {@code role} still waiting for its message, if any: its step ended without publishing. */
    void flush(String role) {
        CompletedCall call = pending.isEmpty() ? null : pending.remove(role);
        if (call != null) {
            session.orElseThrow().completed(call);
        }
    }

    /**
     * Runs a call of a step once: the journaled output when an earlier attempt completed it,
     * otherwise {@code work}'s, journaled with what the call spent — before it is returned, or,
     * when {@code publishesNext}, together with the message the role publishes next.
     */
    CallOutcome once(StepCall call, Supplier<CallOutcome> work, Function<String, Usage> spentByRole, boolean publishesNext) {
        CompletedCall done = completed.get(call.key());
        if (done != null) {
            return done.outcome();
        }
        if (session.isEmpty()) {
            return work.get();
        }
        Usage before = spentByRole.apply(call.role());
        CallOutcome output = work.get();
        Usage after = spentByRole.apply(call.role());
        CompletedCall completedCall = new CompletedCall(call, output, new Usage(after.calls() - before.calls(),
                after.inputTokens() - before.inputTokens(), after.outputTokens() - before.outputTokens(),
                after.costUsd() - before.costUsd(), Duration.ZERO));
        if (publishesNext && output instanceof CallOutcome.Output) {
            // Written with the message the role publishes next (record), or when its step ends (flush).
            pending.put(call.role(), completedCall);
        } else {
            session.get().completed(completedCall);
        }
        return output;
    }

    /** Records how the run ended; a failure to do so is logged, since the run's result stands. */
    void finished(RunStatus status, Optional<String> error) {
        session.ifPresent(s -> {
            try {
                s.finished(status, error);
            } catch (RuntimeException e) {
                log.warn("Could not record the end ({}) of the run in its journal: {}", status, e.getMessage());
            }
        });
    }
}
