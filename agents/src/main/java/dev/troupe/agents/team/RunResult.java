package dev.troupe.agents.team;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableListMultimap;
import com.google.common.collect.ImmutableMap;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.model.Usage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The outcome of a run: its status, every message in publish order, and usage per role and action.
 *
 * @param usage usage per role, then per action: model calls, tokens, cost and wall time
 * @param error what went wrong when the status is not SUCCEEDED
 * @param workspace the folder the run's actions wrote files and ran commands in, if it needed one
 */
public record RunResult(
        String runId,
        String team,
        RunStatus status,
        ImmutableList<Message> messages,
        ImmutableMap<String, ImmutableMap<String, Usage>> usage,
        Usage totalUsage,
        Duration wallTime,
        Optional<String> error,
        Optional<Path> workspace) {

    /** Whether the run ended {@link RunStatus#SUCCEEDED}; otherwise {@code error()} says why. */
    public boolean succeeded() {
        return status == RunStatus.SUCCEEDED;
    }

    /** The documents the roles produced, by action name, in publish order (the requirement excluded). */
    public ImmutableListMultimap<String, Message> documents() {
        ImmutableListMultimap.Builder<String, Message> b = ImmutableListMultimap.builder();
        for (Message m : messages) {
            if (!m.causeBy().equals(Message.USER_REQUIREMENT)) {
                b.put(m.causeBy(), m);
            }
        }
        return b.build();
    }

    /** The latest document produced by {@code action}. */
    public Optional<Message> document(String action) {
        if (action.equals(Message.USER_REQUIREMENT)) {
            return Optional.empty();
        }
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).causeBy().equals(action)) {
                return Optional.of(messages.get(i));
            }
        }
        return Optional.empty();
    }

    /** The latest JSON payload produced by {@code action}. */
    public Optional<JsonNode> payload(String action) {
        return document(action).flatMap(Message::payload);
    }

    /** Usage summed per role. */
    public ImmutableMap<String, Usage> usageByRole() {
        ImmutableMap.Builder<String, Usage> b = ImmutableMap.builder();
        usage.forEach((role, byAction) -> b.put(role, byAction.values().stream().reduce(Usage.ZERO, Usage::plus)));
        return b.build();
    }
}
