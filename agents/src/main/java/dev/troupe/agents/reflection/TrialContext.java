package dev.troupe.agents.reflection;

import dev.troupe.agents.event.RunListener;
import dev.troupe.agents.model.ModelBackend;
import dev.troupe.agents.model.ModelGateway;
import java.util.concurrent.atomic.AtomicInteger;

/** Who is running a reflective action and with what, shared by its planner, judge and reflector. */
record TrialContext(String runId, String role, String action, ModelBackend model, ModelGateway gateway, RunListener listener,
                    AtomicInteger calls) {

    int nextCall() {
        return calls.getAndIncrement();
    }
}
