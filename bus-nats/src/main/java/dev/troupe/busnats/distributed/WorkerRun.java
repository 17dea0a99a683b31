package dev.troupe.busnats.distributed;

import com.google.common.collect.ImmutableList;
import dev.troupe.agents.event.RunEvent;
import dev.troupe.agents.event.RunListener;
import dev.troupe.agents.event.RunListeners;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.model.ModelBackend;
import dev.troupe.agents.model.ModelGateway;
import dev.troupe.agents.reflection.ReflectionScope;
import dev.troupe.agents.role.Role;
import dev.troupe.agents.role.RoleAgent;
import dev.troupe.agents.role.RunContext;
import dev.troupe.busnats.TeamStream;
import dev.troupe.busnats.wire.ControlRecord;
import dev.troupe.busnats.wire.MessageCodec;
import dev.troupe.memory.reflection.store.ReflectionStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One run as one worker takes part in it: the role's agent for the run and the {@link RunContext}
 * it works in. The agent publishes through here, which gives each output a deterministic id and
 * skips outputs already in the stream, so a redone step publishes nothing twice.
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
              List<RunListener> localListeners, EventForwarder events, Optional<ReflectionStore> teamStore) {
        this.stream = stream;
        this.events = events;
        this.log = log;
        this.opened = opened;
        List<RunListener> all = new ArrayList<>();
        all.add(new Forwarder());
        all.addAll(localListeners);
        this.listener = new RunListeners(all);
        this.agent = new RoleAgent(role, model, this);
        // Lessons go where the team keeps them, else where an in-process run would: the run's (shared) workspace.
        boolean reflective = role.actions().stream().anyMatch(a -> a.reflection().isPresent());
        Optional<ReflectionStore> store = teamStore.or(() -> workspace().map(WorkspaceLessons::new));
        this.reflection = reflective ? store.map(s -> new ReflectionScope(s, opened.team(), opened.requirement(), workspace()))
                : Optional.empty();
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

    /** Starts a step on {@code input}: its gateway, and the ids its outputs will get. */
    void beginStep(Message input, ModelGateway stepGateway) {
        this.gateway = stepGateway;
        this.current = new StepOutputs(input.id(), agent.role().name());
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
        Message out = message.newBuilder().id(step.idFor(message)).build();
        if (!log.contains(out.id())) {   // an earlier attempt at this step published it already
            stream.publish(stream.subjects().message(out.runId(), out.causeBy()), out.id(), MessageCodec.encode(out));
        }
        step.published(out.id());
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

    /** Ids of one step's outputs: a function of the input, the role, the action and how many of its messages came before. */
    private static final class StepOutputs {
        private final String inputId;
        private final String role;
        private final Map<String, String> idByOriginal = new HashMap<>();
        private final Map<String, Integer> countByCause = new HashMap<>();
        private final List<String> published = new ArrayList<>();

        StepOutputs(String inputId, String role) {
            this.inputId = inputId;
            this.role = role;
        }

        synchronized String idFor(Message m) {
            return idByOriginal.computeIfAbsent(m.id(), k -> {
                int index = countByCause.merge(m.causeBy(), 1, Integer::sum) - 1;
                return outputId(inputId, role, m.causeBy(), index);
            });
        }

        synchronized void published(String id) {
            published.add(id);
        }

        synchronized List<String> published() {
            return List.copyOf(published);
        }
    }

    /** The id of the {@code index}-th message of {@code action} that {@code role}'s step on {@code inputId} publishes. */
    static String outputId(String inputId, String role, String action, int index) {
        return UUID.nameUUIDFromBytes((inputId + "|" + role + "|" + action + "|" + index).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** Sends the worker's run events to the coordinator, with outputs under the ids they are published with. */
    private final class Forwarder implements RunListener {
        @Override
        public void on(RunEvent event) {
            RunEvent e = event;
            StepOutputs step = current;
            if (event instanceof RunEvent.ActionFinished f && step != null) {
                e = new RunEvent.ActionFinished(f.runId(), f.at(), f.role(), f.action(), f.round(),
                        f.output().newBuilder().id(step.idFor(f.output())).build(), f.wallTime());
            }
            events.send(new ControlRecord.Forwarded(runId(), e));
        }
    }
}
