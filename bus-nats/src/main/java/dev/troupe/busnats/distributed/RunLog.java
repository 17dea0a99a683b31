package dev.troupe.busnats.distributed;

import com.google.common.collect.ImmutableList;
import dev.troupe.agents.error.TroupeException;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.model.Usage;
import dev.troupe.busnats.TeamStream;
import dev.troupe.busnats.TeamSubjects;
import dev.troupe.busnats.wire.ControlCodec;
import dev.troupe.busnats.wire.ControlRecord;
import dev.troupe.busnats.wire.MessageCodec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run as its stream holds it, read incrementally: its messages in stream order and its control
 * records. A message id or a (message, role) report seen a second time (a re-publish after the
 * server's duplicate window) is ignored, so readers never count anything twice.
 */
final class RunLog {
    private static final Logger log = LoggerFactory.getLogger(RunLog.class);

    /** One new record of the run, in stream order. */
    sealed interface Item {
        long sequence();
    }

    record MessageItem(long sequence, Message message) implements Item {}

    record ControlItem(long sequence, ControlRecord record) implements Item {}

    /** A (message, role) pair: one step of one role on one message. */
    record StepKey(String messageId, String role) {}

    private final TeamStream stream;
    private final String runId;
    private long next = 1;
    private final List<Message> messages = new ArrayList<>();
    private final Map<String, Long> sequenceById = new HashMap<>();
    private final Map<StepKey, ControlRecord.StepDone> steps = new LinkedHashMap<>();
    /** The ids of the messages the reported steps published. */
    private final java.util.Set<String> reportedOutputs = new java.util.HashSet<>();
    private ControlRecord.RunOpened opened;
    private ControlRecord.RunClosed closed;

    RunLog(TeamStream stream, String runId) {
        this.stream = stream;
        this.runId = runId;
    }

    String runId() {
        return runId;
    }

    /** Reads what was stored since the last call and returns it, first-seen records only, in stream order. */
    synchronized List<Item> refresh() {
        List<Item> fresh = new ArrayList<>();
        for (TeamStream.Entry e : stream.read(stream.subjects().everythingOf(runId), next)) {
            next = e.sequence() + 1;
            try {
                if (TeamSubjects.isControl(e.subject())) {
                    ControlRecord r = ControlCodec.decode(e.body());
                    if (accept(r)) {
                        fresh.add(new ControlItem(e.sequence(), r));
                    }
                } else {
                    Message m = MessageCodec.decode(e.body());
                    if (sequenceById.putIfAbsent(m.id(), e.sequence()) == null) {
                        messages.add(m);
                        fresh.add(new MessageItem(e.sequence(), m));
                    }
                }
            } catch (TroupeException bad) {
                log.warn("Run {}: skipping record {} on {}: {}", runId, e.sequence(), e.subject(), bad.getMessage());
            }
        }
        return fresh;
    }

    private boolean accept(ControlRecord r) {
        switch (r) {
            case ControlRecord.RunOpened o -> {
                if (opened != null) {
                    return false;
                }
                opened = o;
            }
            case ControlRecord.StepDone s -> {
                if (steps.putIfAbsent(new StepKey(s.inputId(), s.role()), s) != null) {
                    return false;
                }
                reportedOutputs.addAll(s.outputs());
            }
            case ControlRecord.RunClosed c -> {
                if (closed != null) {
                    return false;
                }
                closed = c;
            }
            case ControlRecord.Forwarded f -> { }
        }
        return true;
    }

    /** The run's messages in stream order. */
    synchronized ImmutableList<Message> messages() {
        return ImmutableList.copyOf(messages);
    }

    /** The round of message {@code messageId}, if the log has read it. */
    synchronized java.util.OptionalInt round(String messageId) {
        Long seq = sequenceById.get(messageId);
        if (seq == null) {
            return java.util.OptionalInt.empty();
        }
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).id().equals(messageId)) {
                return java.util.OptionalInt.of(messages.get(i).round());
            }
        }
        return java.util.OptionalInt.empty();
    }

    synchronized boolean contains(String messageId) {
        return sequenceById.containsKey(messageId);
    }

    synchronized Optional<ControlRecord.RunOpened> opened() {
        return Optional.ofNullable(opened);
    }

    synchronized Optional<ControlRecord.RunClosed> closed() {
        return Optional.ofNullable(closed);
    }

    synchronized Optional<ControlRecord.StepDone> step(String messageId, String role) {
        return Optional.ofNullable(steps.get(new StepKey(messageId, role)));
    }

    /** Whether the step that published message {@code messageId} has reported (and so what it spent is in {@link #spent()}). */
    synchronized boolean reportedBy(String messageId) {
        return reportedOutputs.contains(messageId);
    }

    /** What every reported step has spent so far. */
    synchronized Usage spent() {
        Usage total = Usage.ZERO;
        for (ControlRecord.StepDone s : steps.values()) {
            for (Map<String, Usage> byAction : s.usage().values()) {
                for (Usage u : byAction.values()) {
                    total = total.plus(u);
                }
            }
        }
        return total;
    }
}
