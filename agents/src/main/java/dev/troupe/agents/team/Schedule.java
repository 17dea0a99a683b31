package dev.troupe.agents.team;

import static com.google.common.base.Preconditions.checkArgument;

import dev.troupe.agents.message.Message;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Who has news, who is working and who waits for whose thread in one run: the scheduler's state
 * and rules, with no threads of its own, so they can be tested one call at a time. {@code A} names
 * a role at work, {@code W} what does its step (a thread, in a run). Not thread-safe: the run calls
 * it under its lock and acts on the answers (starting threads, ending the run) after letting go.
 *
 * <p>A delivery to a working role waits as its pending news. A delivery to an idle role starts
 * its step at once, unless it came from a publisher whose step is over with that publish: then the
 * role waits for the publisher's thread, which takes up such news itself when its step returns (so a
 * chain runs on one thread), and the other waiting roles are started.
 */
final class Schedule<A, W> {

    /** Where a message reaches a role from. */
    enum From {
        /** From a step that goes on after this publish (or from outside the run's steps). */
        STEP,
        /** From a step that is over with this publish: its thread takes up the news. */
        LAST_OF_STEP,
        /** Put back on the bus while a resumed run restores: nothing starts. */
        RESTORE
    }

    /**
     * What a thread whose step ended does next: the role it works for now (if any) and that role's
     * news, the roles to start on threads of their own, and whether the run is over (nothing works, nothing waits).
     */
    record Next<A>(Optional<A> continueWith, List<Message> news, List<A> start, boolean quiescent) {}

    private final Map<A, List<Message>> pending = new HashMap<>();
    private final Map<A, W> running = new HashMap<>();
    /**
     * Roles with news that waits for the thread of the step that published it, by that thread: another
     * thread (one that has done no step yet, or another role's) must not take it up, or the
     * publisher's thread would return while a step was left to it.
     */
    private final Map<W, List<A>> ready = new HashMap<>();
    private boolean finished;

    /** Queues {@code m} as {@code a}'s news; returns whether {@code a}'s step should start now (it is idle and nobody takes it up). */
    boolean deliver(A a, Message m, From from) {
        checkArgument(from != From.LAST_OF_STEP, "the last publish of a step names its publisher's thread");
        return deliver(a, m, from, null);
    }

    /** As {@link #deliver(Object, Message, From)}, with the thread of the step that published {@code m}, which takes it up for {@link From#LAST_OF_STEP}. */
    boolean deliver(A a, Message m, From from, W publisher) {
        if (finished) {
            return false;
        }
        pending.computeIfAbsent(a, k -> new ArrayList<>()).add(m);
        if (from == From.RESTORE || running.containsKey(a)) {
            return false;
        }
        if (from == From.LAST_OF_STEP) {
            List<A> waiting = ready.computeIfAbsent(Objects.requireNonNull(publisher, "publisher"), k -> new ArrayList<>(2));
            if (!waiting.contains(a)) {
                waiting.add(a);
            }
            return false;
        }
        return true;
    }

    /** Marks idle {@code a} as working on {@code w} and hands over its news, oldest first; empty (and nothing marked) when it has none, works already, or the run ended. */
    Optional<List<Message>> begin(A a, W w) {
        if (finished || running.containsKey(a)) {
            return Optional.empty();
        }
        List<Message> news = pending.remove(a);
        if (news == null || news.isEmpty()) {
            return Optional.empty();
        }
        running.put(a, w);
        // Removed from the pending map, the list is the step's alone: handed over as it is.
        return Optional.of(news);
    }

    /** Marks {@code a} as working on {@code w} without taking news (a resumed run replaying its begun steps). */
    void replaying(A a, W w) {
        running.put(a, w);
    }

    /** Whether {@code a} has news no step has taken up. */
    boolean hasNews(A a) {
        return pending.containsKey(a);
    }

    /** Drops those of {@code a}'s news that {@code answered} accepts (a replayed step answers them). */
    void dropNews(A a, Predicate<Message> answered) {
        List<Message> news = pending.get(a);
        if (news != null && news.removeIf(answered) && news.isEmpty()) {
            pending.remove(a);
        }
    }

    /**
     * The step of {@code ended} (null: the thread has done none yet) is over and its thread {@code w}
     * is free. It goes on for the same role when news came in meanwhile, else for the first role whose
     * news waited for it; the other waiting roles are to be started. Quiescent when no role works or has news.
     */
    Next<A> after(A ended, W w) {
        if (ended != null) {
            running.remove(ended);
        }
        List<A> mine = ready.remove(w);
        if (finished) {
            return new Next<>(Optional.empty(), List.of(), List.of(), false);
        }
        A next = ended != null && pending.containsKey(ended) ? ended : null;
        List<A> start = List.of();
        for (A waiting : mine == null ? List.<A>of() : mine) {
            if (!pending.containsKey(waiting) || running.containsKey(waiting) || waiting == next) {
                continue;
            }
            if (next == null) {
                next = waiting;
            } else {
                if (start.isEmpty()) {
                    start = new ArrayList<>(2);
                }
                start.add(waiting);
            }
        }
        if (next != null) {
            running.put(next, w);
            return new Next<>(Optional.of(next), pending.remove(next), start, false);
        }
        return new Next<>(Optional.empty(), List.of(), start, running.isEmpty() && pending.isEmpty());
    }

    /** Ends the schedule once; returns what was working (to stop), or empty when it had ended already. */
    Optional<Collection<W>> finish() {
        if (finished) {
            return Optional.empty();
        }
        finished = true;
        List<W> working = List.copyOf(running.values());
        pending.clear();
        ready.clear();
        return Optional.of(working);
    }

    boolean finished() {
        return finished;
    }
}
