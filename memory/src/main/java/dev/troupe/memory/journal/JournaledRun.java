package dev.troupe.memory.journal;

import com.google.common.collect.ImmutableList;
import java.util.Objects;

/** Everything a run's journal holds: its summary, and its messages and completed actions in journal order. */
public record JournaledRun(RunSummary summary, ImmutableList<Journaled<MessageEntry>> messages,
                           ImmutableList<Journaled<ActionEntry>> actions) {

    public JournaledRun {
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(messages, "messages");
        Objects.requireNonNull(actions, "actions");
    }
}
