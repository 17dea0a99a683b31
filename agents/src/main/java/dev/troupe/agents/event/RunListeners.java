package dev.troupe.agents.event;

import com.google.common.collect.ImmutableList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Fans events out to several listeners; a listener that throws is logged by name and never breaks the run. */
public final class RunListeners implements RunListener {
    private static final Logger log = LoggerFactory.getLogger(RunListeners.class);
    private final ImmutableList<RunListener> listeners;

    public RunListeners(List<? extends RunListener> listeners) {
        this.listeners = ImmutableList.copyOf(listeners);
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

    public void emit(RunEvent event) {
        on(event);
    }
}
