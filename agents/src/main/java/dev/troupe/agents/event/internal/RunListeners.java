package dev.troupe.agents.event.internal;

import dev.troupe.agents.event.RunEvent;
import dev.troupe.agents.event.RunListener;
import com.google.common.collect.ImmutableList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Fans events out to several listeners; a listener that throws is logged by name and never breaks the run. */
public final class RunListeners implements RunListener {
    private static final Logger log = LoggerFactory.getLogger(RunListeners.class);
    private final ImmutableList<RunListener> listeners;
    private final boolean wantsEvents;

    public RunListeners(List<? extends RunListener> listeners) {
        this.listeners = ImmutableList.copyOf(listeners);
        this.wantsEvents = this.listeners.stream().anyMatch(RunListener::wantsEvents);
    }

    @Override
    public void on(RunEvent event) {
        for (RunListener l : listeners) {
            try {
                l.on(event);
            } catch (RuntimeException e) {
                log.warn("Run listener {} failed on {}: {}", l.getClass().getName(), event.getClass().getSimpleName(), e.toString());
            }
        }
    }

    /** False when no listener is registered: then the run builds no events at all. */
    @Override
    public boolean wantsEvents() {
        return wantsEvents;
    }

    public void emit(RunEvent event) {
        on(event);
    }
}
