package dev.troupe.busnats.distributed;

import com.google.common.collect.ImmutableList;
import dev.troupe.agents.event.RunEvent;
import dev.troupe.agents.event.RunListener;
import dev.troupe.agents.event.internal.RunListeners;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.model.ModelBackend;
import dev.troupe.agents.model.internal.ModelGateway;
import dev.troupe.agents.reflection.internal.ReflectionScope;
import dev.troupe.agents.role.Role;
import dev.troupe.agents.role.internal.RoleAgent;
import dev.troupe.agents.role.internal.RunContext;
import dev.troupe.agents.team.internal.StepEngine;
import dev.troupe.busnats.TeamStream;
import dev.troupe.busnats.wire.ControlRecord;
import dev.troupe.busnats.wire.MessageCodec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One run as one worker takes part in it: the role's agent for the run and the {@link RunContext}
 * it works in. Its calls are named, so each output has the id the step engine derives from its
 * call (the same when the step is redone); publishing here skips outputs already in the stream, so
 * a redone step publishes nothing twice.
 */
final class WorkerRun implements RunContext {
    private final TeamStream stream;
    private final RunLog log;
    private final ControlRecord.RunOpened opened;
    private final RoleAgent agent;
    private final RunListener listener;
    private final EventForwarder events;
    /** Steps of one role in one run never overlap, even between replicas of one process. */
    final ReentrantLock stepLock = new ReentrantLock();

    private final Optional<ReflectionScope> reflection;
    private volatile ModelGateway gateway;
    private volatile StepOutputs current;

    WorkerRun(TeamStream stream, RunLog log, ControlRecord.RunOpened opened, Role role, ModelBackend model,
              List<RunListener> localListeners, EventForwarder events, StepEngine engine) {
        this.stream = stream;
        this.events = events;
        this.log = log;
        this.opened = opened;
        List<RunListener> all = new ArrayList<>();
        all.add(new Forwarder());
        all.addAll(localListeners);
        this.listener = new RunListeners(all);
        this.agent = new RoleAgent(role, model, this);
        this.reflection = engine.reflection(opened.requirement(), workspace(), workspace().map(StepEngine::lessonsIn));
    }

    RunLog log() {
        return log;
    }

    ControlRecord.RunOpened opened() {
        return opened;
    }

    RoleAgent agent() {
        return agent;
    }

    /** Starts a step: its gateway, and the list of what it publishes. */
    void beginStep(ModelGateway stepGateway) {
        this.gateway = stepGateway;
        this.current = new StepOutputs();
    }

    /** Ends the step and returns the ids of what it published, in order. */
    List<String> endStep() {
        StepOutputs s = current;
        current = null;
        return s == null ? List.of() : s.published();
    }

    @Override
    public String runId() {
        return opened.runId();
    }

    @Override
    public String requirement() {
        return opened.requirement();
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
        StepOutputs step = current;
        if (step == null) {
            throw new IllegalStateException("role " + agent.role().name() + " published outside a step in run " + runId());
        }
        log.refresh();
        if (log.closed().isPresent()) {
            throw new CancellationException("run " + runId() + " has ended (" + log.closed().get().status() + "); message of "
                    + message.causeBy() + " dropped");
        }
        if (!log.contains(message.id())) {   // an earlier attempt at this step published it already
            stream.publish(stream.subjects().message(message.runId(), message.causeBy()), message.id(), MessageCodec.encode(message));
        }
        step.published(message.id());
    }

    @Override
    public boolean namesCalls() {
        return true;
    }

    @Override
    public Optional<Path> workspace() {
        return opened.workspace().map(Path::of);
    }

    @Override
    public Optional<ReflectionScope> reflection() {
        return reflection;
    }

    @Override
    public ImmutableList<Message> history() {
        log.refresh();
        return log.messages();
    }

    /** The ids of what one step published, in order. */
    private static final class StepOutputs {
        private final List<String> published = new ArrayList<>();

        synchronized void published(String id) {
            published.add(id);
        }

        synchronized List<String> published() {
            return List.copyOf(published);
        }
    }

    /** Sends the worker's run events to the coordinator. */
    private final class Forwarder implements RunListener {
        @Override
        public void on(RunEvent event) {
            events.send(new ControlRecord.Forwarded(runId(), event));
        }
    }
}
