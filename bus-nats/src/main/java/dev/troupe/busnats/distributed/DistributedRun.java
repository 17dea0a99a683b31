package dev.troupe.busnats.distributed;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.troupe.agents.error.ConfigurationException;
import dev.troupe.agents.event.RunEvent;
import dev.troupe.agents.event.RunListener;
import dev.troupe.agents.event.internal.RunListeners;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.model.Budget;
import dev.troupe.agents.model.Usage;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.agents.role.StepCall;
import dev.troupe.agents.team.CompletedCall;
import dev.troupe.agents.team.Journal;
import dev.troupe.agents.team.Resumption;
import dev.troupe.agents.team.internal.FutureRunHandle;
import dev.troupe.agents.team.RunHandle;
import dev.troupe.agents.team.RunResult;
import dev.troupe.agents.team.RunStatus;
import dev.troupe.agents.team.Team;
import dev.troupe.busnats.TeamStream;
import dev.troupe.busnats.wire.ControlCodec;
import dev.troupe.busnats.wire.ControlRecord;
import dev.troupe.busnats.wire.MessageCodec;
import io.nats.client.Dispatcher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.HashSet;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run followed by a {@link Coordinator}. The stream is the source of truth: the coordinator
 * re-reads the run from it on every wake-up (a core NATS subscription to the run's subjects rings,
 * and a timer covers a server that was away), so it misses nothing across reconnects.
 */
final class DistributedRun extends FutureRunHandle {
    private static final Logger log = LoggerFactory.getLogger(DistributedRun.class);
    private static final Duration POLL = Duration.ofMillis(250);

    private final TeamStream stream;
    private final Team team;
    private final String requirement;
    private final RunListeners listener;
    private final String runId;
    private final RunLog runLog;
    private final Instant startedAt;
    private final Instant deadline;
    private final Optional<Path> workspace;
    /** True for a run this coordinator took over from the stream rather than started. */
    private final boolean followed;
    /** The run's journal, if the team has one; what an earlier coordinator journaled is not written again. */
    private final Optional<Journal.Session> journal;
    private final Set<String> journaledMessages = new HashSet<>();
    private final Set<String> journaledCalls = new HashSet<>();
    private final Semaphore wakeUp = new Semaphore(0);

    // Follower state: touched by the follower thread only, except "finished" and "cancelRequested".
    private final Set<RunLog.StepKey> outstanding = new LinkedHashSet<>();
    private final Map<String, Map<String, Usage>> usage = new TreeMap<>();
    private boolean requirementSeen;
    private volatile boolean cancelRequested;
    private volatile boolean finished;
    private Dispatcher dispatcher;
    private volatile Thread follower;

    /** A new run of {@code team} on {@code requirement}, journaled when the team has a journal. */
    DistributedRun(TeamStream stream, Team team, String requirement, List<RunListener> listeners) {
        this.stream = stream;
        this.team = team;
        this.requirement = requirement;
        this.listener = new RunListeners(listeners);
        this.runId = Message.randomId();
        this.runLog = new RunLog(stream, runId);
        this.startedAt = Instant.now();
        this.deadline = startedAt.plus(team.timeout());
        this.workspace = team.engine().workspace(Optional.empty());
        this.followed = false;
        this.journal = team.journal().map(j -> j.begin(runId, team.name(), requirement, workspace));
    }

    /**
     * A run started earlier (by a coordinator that stopped), as the stream holds it: its settings
     * come from the stream; its journal, when the team has one, is claimed for one more attempt.
     */
    private DistributedRun(TeamStream stream, Team team, RunLog runLog, ControlRecord.RunOpened opened, List<RunListener> listeners) {
        this.stream = stream;
        this.team = team;
        this.requirement = opened.requirement();
        this.listener = new RunListeners(listeners);
        this.runId = opened.runId();
        this.runLog = runLog;
        this.startedAt = opened.at();
        this.deadline = opened.deadline();
        this.workspace = opened.workspace().map(Path::of);
        this.followed = true;
        this.journal = team.journal().map(j -> {
            Resumption before;
            try {
                before = j.resume(runId, team.name());
            } catch (ConfigurationException notJournaled) {
                // Started without this journal: it begins here, from what the stream holds.
                return j.begin(runId, team.name(), requirement, workspace);
            }
            before.messages().forEach(m -> journaledMessages.add(m.id()));
            before.calls().forEach(c -> journaledCalls.add(c.call().key()));
            return before.session();
        });
    }

    /**
     * Takes over run {@code runId} from the stream: a run whose coordinator stopped goes on (the
     * workers kept working) and ends as usual; a run that ended is reported as it ended.
     */
    static DistributedRun follow(TeamStream stream, Team team, String runId, List<RunListener> listeners) {
        RunLog log = new RunLog(stream, runId);
        log.refresh();
        ControlRecord.RunOpened opened = log.opened().orElseThrow(() -> new ConfigurationException("The stream "
                + stream.settings().url() + " holds no run '" + runId + "' of team '" + team.name() + "' (or it has expired);"
                + " 'troupe runs list' shows journaled runs."));
        if (!opened.team().equals(team.name())) {
            throw new ConfigurationException("Run '" + runId + "' is a run of team '" + opened.team() + "', not of '" + team.name()
                    + "'; follow it with that team.");
        }
        return new DistributedRun(stream, team, new RunLog(stream, runId), opened, listeners);
    }

    void start() {
        // Consumers first: a role's consumer starts at the end of the stream, and must not start after the requirement.
        RoleConsumers.ensureAll(stream, team.roles());
        dispatcher = stream.connection().createDispatcher(m -> wakeUp.release());
        dispatcher.subscribe(stream.subjects().everythingOf(runId));
        if (followed) {
            listener.emit(new RunEvent.RunStarted(runId, Instant.now(), team.name(), requirement));
            follower = Thread.ofVirtual().name("troupe-coordinator-" + runId).start(this::follow);
            return;
        }
        Budget b = team.budget();
        ControlRecord.RunOpened opened = new ControlRecord.RunOpened(runId, team.name(), requirement, team.maxRounds(),
                Double.isInfinite(b.maxUsd()) ? Optional.empty() : Optional.of(b.maxUsd()),
                b.maxTokens() == Long.MAX_VALUE ? Optional.empty() : Optional.of(b.maxTokens()),
                deadline, workspace.map(Path::toString), startedAt);
        try {
            publishControl(opened, "opened|" + runId);
            listener.emit(new RunEvent.RunStarted(runId, Instant.now(), team.name(), requirement));
            Message req = Message.builder().runId(runId).round(0).sender("user").causeBy(Message.USER_REQUIREMENT)
                    .content(requirement).build();
            stream.publish(stream.subjects().message(runId, req.causeBy()), req.id(), MessageCodec.encode(req));
        } catch (RuntimeException e) {
            stream.connection().closeDispatcher(dispatcher);
            throw e;
        }
        follower = Thread.ofVirtual().name("troupe-coordinator-" + runId).start(this::follow);
    }

    /** Stops following without ending the run, as a coordinator process that dies would; for tests. */
    void abandon() {
        finished = true;
        Thread f = follower;
        if (f != null) {
            f.interrupt();
        }
        stream.connection().closeDispatcher(dispatcher);
    }

    private void follow() {
        while (!finished) {
            try {
                long waitMs = Math.min(POLL.toMillis(), Math.max(1, Duration.between(Instant.now(), deadline).toMillis()));
                if (wakeUp.tryAcquire(waitMs, TimeUnit.MILLISECONDS)) {
                    wakeUp.drainPermits();
                }
            } catch (InterruptedException e) {
                cancelRequested = true;
            }
            if (cancelRequested) {
                finish(RunStatus.CANCELLED, "the run was cancelled");
                return;
            }
            try {
                for (RunLog.Item item : runLog.refresh()) {
                    take(item);
                    if (finished) {
                        return;
                    }
                }
            } catch (JournalFailed e) {
                finish(RunStatus.FAILED, "cannot write the run's journal: " + e.getCause().getMessage());
                return;
            } catch (RuntimeException e) {
                if (stream.connection().getStatus() == io.nats.client.Connection.Status.CLOSED) {
                    finish(RunStatus.FAILED, "the connection to NATS at " + stream.settings().url() + " was closed while the run went on");
                    return;
                }
                log.warn("Run {}: cannot read the run from NATS ({}); retrying", runId, e.getMessage());
            }
            if (requirementSeen && outstanding.isEmpty()) {
                finish(RunStatus.SUCCEEDED, null);
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                finish(RunStatus.TIMED_OUT, team.engine().timedOut() + describeOutstanding());
                return;
            }
        }
    }

    private void take(RunLog.Item item) {
        switch (item) {
            case RunLog.MessageItem mi -> {
                Message m = mi.message();
                if (journal.isPresent() && journaledMessages.add(m.id())) {
                    journaling(() -> journal.get().message(m));
                }
                requirementSeen |= m.causeBy().equals(Message.USER_REQUIREMENT);
                listener.emit(new RunEvent.MessagePublished(runId, Instant.now(), m));
                for (String role : Observers.of(m, team.roles())) {
                    outstanding.add(new RunLog.StepKey(m.id(), role));
                }
            }
            case RunLog.ControlItem ci -> {
                switch (ci.record()) {
                    case ControlRecord.StepDone s -> {
                        journal.ifPresent(j -> journalStep(j, s));
                        outstanding.remove(new RunLog.StepKey(s.inputId(), s.role()));
                        s.usage().forEach((role, byAction) -> byAction.forEach((action, u) ->
                                usage.computeIfAbsent(role, r -> new TreeMap<>()).merge(action, u, Usage::plus)));
                        String error = s.error().orElse(s.outcome().name());
                        switch (s.outcome()) {
                            case DONE -> { }
                            case FAILED -> finish(RunStatus.FAILED, error);
                            case BUDGET_EXCEEDED -> finish(RunStatus.BUDGET_EXCEEDED, error);
                            case ROUND_LIMIT -> finish(RunStatus.ROUND_LIMIT, error);
                        }
                    }
                    case ControlRecord.Forwarded f -> listener.emit(f.event());
                    case ControlRecord.RunClosed c -> finish(RunStatus.valueOf(c.status()), c.error().orElse(null));
                    case ControlRecord.RunOpened o -> { }
                }
            }
        }
    }

    /** A journal write that failed: the run cannot keep its promise of durability and ends. */
    private static final class JournalFailed extends RuntimeException {
        JournalFailed(RuntimeException cause) {
            super(cause);
        }
    }

    private static void journaling(Runnable write) {
        try {
            write.run();
        } catch (RuntimeException e) {
            throw new JournalFailed(e);
        }
    }

    /**
     * Journals a worker's step as the calls it made: one entry per action, with the step's usage
     * of that action, and as output the step's outcome, worker and the messages it published.
     */
    private void journalStep(Journal.Session j, ControlRecord.StepDone s) {
        String step = StepCall.stepOf(s.role(), List.of(s.inputId()));
        int round = 1 + runLog.round(s.inputId()).orElse(0);
        ObjectNode output = JsonNodeFactory.instance.objectNode().put("outcome", s.outcome().name()).put("worker", s.worker())
                .put("attempt", s.attempt());
        s.error().ifPresent(e -> output.put("error", e));
        s.outputs().forEach(output.putArray("outputs")::add);
        List<Map.Entry<String, Usage>> calls = s.usage().getOrDefault(s.role(), Map.of()).entrySet().stream()
                .sorted(Map.Entry.comparingByKey()).toList();
        for (int i = 0; i < calls.size(); i++) {
            StepCall call = new StepCall(s.role(), calls.get(i).getKey(), step, i, ImmutableList.of(s.inputId()), round);
            if (journaledCalls.add(call.key())) {
                CompletedCall done = new CompletedCall(call, output, calls.get(i).getValue());
                journaling(() -> j.completed(done));
            }
        }
    }

    /** Names what the run still waits for, and the worker that would do it. */
    private String describeOutstanding() {
        if (outstanding.isEmpty()) {
            return "";
        }
        Map<String, String> causeById = runLog.messages().stream().collect(Collectors.toMap(Message::id, Message::causeBy, (a, b) -> a));
        return " Still waiting for: " + outstanding.stream()
                .map(k -> "role " + k.role() + " on " + causeById.getOrDefault(k.messageId(), k.messageId()))
                .distinct().collect(Collectors.joining(", "))
                + ". Is a worker running for each (troupe worker " + team.name() + " --role NAME)?";
    }

    private synchronized void finish(RunStatus status, String error) {
        if (finished) {
            return;
        }
        finished = true;
        try {
            publishControl(new ControlRecord.RunClosed(runId, status.name(), Optional.ofNullable(error), Instant.now()), "closed|" + runId);
        } catch (RuntimeException e) {
            log.warn("Run {}: could not tell the workers that the run ended ({}): they stop at its deadline", runId, e.getMessage());
        }
        ImmutableList<Message> messages;
        try {
            runLog.refresh();
            messages = runLog.messages();
        } catch (RuntimeException e) {
            messages = runLog.messages();
        }
        try {
            stream.connection().closeDispatcher(dispatcher);
        } catch (RuntimeException e) {
            log.debug("Closing the wake-up subscription failed: {}", e.toString());
        }
        ImmutableMap.Builder<String, ImmutableMap<String, Usage>> byRole = ImmutableMap.builder();
        Usage total = Usage.ZERO;
        for (var e : usage.entrySet()) {
            byRole.put(e.getKey(), ImmutableMap.copyOf(e.getValue()));
            for (Usage u : e.getValue().values()) {
                total = total.plus(u);
            }
        }
        RunResult r = new RunResult(runId, team.name(), status, messages, byRole.build(), total,
                Duration.between(startedAt, Instant.now()), Optional.ofNullable(error), workspace);
        journal.ifPresent(j -> {
            try {
                j.finished(status, Optional.ofNullable(error));
            } catch (RuntimeException e) {
                log.warn("Run {}: could not record its end ({}) in the journal: {}", runId, status, e.getMessage());
            }
        });
        listener.emit(new RunEvent.RunFinished(runId, Instant.now(), status.name(), r.wallTime(), r.totalUsage(), r.error()));
        ended(r);
    }

    private void publishControl(ControlRecord r, String idSeed) {
        String id = UUID.nameUUIDFromBytes(idSeed.getBytes(StandardCharsets.UTF_8)).toString();
        stream.publish(stream.subjects().control(runId, r.kind()), id, ControlCodec.encode(r));
    }

    @Override
    public String runId() {
        return runId;
    }

    @Override
    public void cancel() {
        cancelRequested = true;
        wakeUp.release();
        Thread f = follower;
        if (f != null) {
            f.interrupt();   // it may be waiting out a server that is away
        }
    }

}
