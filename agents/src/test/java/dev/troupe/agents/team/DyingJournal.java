package dev.troupe.agents.team;

import dev.troupe.agents.message.Message;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;

/**
 * A journal that dies at its Nth write, like a process killed just before that write: the write and
 * every later one are lost (and fail, which ends the run), and the run's end is never recorded.
 */
final class DyingJournal implements Journal {
    /** What a write gets from a dead journal. */
    static final class Killed extends RuntimeException {
        Killed(int write) {
            super("simulated kill at journal write " + write);
        }
    }

    private final Journal inner;
    private final int dieAt;
    private final Predicate<Object> dieOn;
    private final AtomicInteger writes = new AtomicInteger();
    private final AtomicBoolean dead = new AtomicBoolean();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    /** Dies at write number {@code dieAt} (from 1), whatever it writes. */
    DyingJournal(Journal inner, int dieAt) {
        this(inner, dieAt, entry -> false);
    }

    /** Dies at the first write of an entry (a {@link Message} or a {@link CompletedCall}) that {@code dieOn} accepts. */
    DyingJournal(Journal inner, Predicate<Object> dieOn) {
        this(inner, Integer.MAX_VALUE, dieOn);
    }

    private DyingJournal(Journal inner, int dieAt, Predicate<Object> dieOn) {
        this.inner = inner;
        this.dieAt = dieAt;
        this.dieOn = dieOn;
    }

    @Override
    public Session begin(String runId, String team, String requirement, Optional<Path> workspace) {
        return wrap(inner.begin(runId, team, requirement, workspace));
    }

    @Override
    public Resumption resume(String runId, String team) {
        Resumption r = inner.resume(runId, team);
        return new Resumption(r.runId(), r.team(), r.requirement(), r.workspace(), r.messages(), r.calls(), wrap(r.session()));
    }

    private Session wrap(Session s) {
        return new Session() {
            @Override
            public void message(Message message) {
                write(message, () -> s.message(message));
            }

            @Override
            public void completed(CompletedCall call) {
                write(call, () -> s.completed(call));
            }

            @Override
            public void finished(RunStatus status, Optional<String> error) {
                if (!dead.get()) {
                    s.finished(status, error);
                }
            }
        };
    }

    private void write(Object entry, Runnable write) {
        lock.readLock().lock();
        try {
            int n = writes.incrementAndGet();
            if (dead.get() || n >= dieAt || dieOn.test(entry)) {
                dead.set(true);
                throw new Killed(n);
            }
            write.run();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Waits for writes that began before the death to finish: a killed process writes nothing
     * after the kill, but a run's threads may still be inside a write when its result is in.
     */
    void awaitWritesDone() {
        lock.writeLock().lock();
        lock.writeLock().unlock();
    }
}
