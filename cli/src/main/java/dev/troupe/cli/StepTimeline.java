package dev.troupe.cli;

import dev.troupe.agents.event.RunEvent;
import dev.troupe.agents.event.RunListener;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Collects when each action of a run started and ended, for the report's timeline. */
final class StepTimeline implements RunListener {
    /** One action execution: offsets from the run's start. */
    record Step(String role, String action, int round, Duration start, Duration end, boolean failed, String note) {}

    private record Key(String role, String action) {}

    private final Map<Key, Instant> open = new ConcurrentHashMap<>();
    private final List<Step> steps = new ArrayList<>();
    private volatile Instant runStart = Instant.now();

    @Override
    public void onRunStarted(RunEvent.RunStarted e) {
        runStart = e.at();
    }

    @Override
    public void onActionStarted(RunEvent.ActionStarted e) {
        open.put(new Key(e.role(), e.action()), e.at());
    }

    @Override
    public void onActionFinished(RunEvent.ActionFinished e) {
        close(e.role(), e.action(), e.round(), e.at(), false, "");
    }

    @Override
    public void onActionFailed(RunEvent.ActionFailed e) {
        close(e.role(), e.action(), e.round(), e.at(), true, e.error());
    }

    private void close(String role, String action, int round, Instant at, boolean failed, String note) {
        Instant start = open.remove(new Key(role, action));
        if (start == null) {
            start = at;
        }
        synchronized (steps) {
            steps.add(new Step(role, action, round, Duration.between(runStart, start), Duration.between(runStart, at), failed, note));
        }
    }

    /** When the run started (when this listener was made, until the run says). */
    Instant startedAt() {
        return runStart;
    }

    List<Step> steps() {
        synchronized (steps) {
            return List.copyOf(steps);
        }
    }
}
