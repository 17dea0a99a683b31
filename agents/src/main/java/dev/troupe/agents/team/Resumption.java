package dev.troupe.agents.team;

import com.google.common.collect.ImmutableList;
import dev.troupe.agents.message.Message;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What a journaled run had done when it stopped, and the journal session its next attempt writes
 * to: its messages in publish order and its completed calls in completion order.
 */
public record Resumption(String runId, String team, String requirement, Optional<Path> workspace,
                         ImmutableList<Message> messages, ImmutableList<CompletedCall> calls, Journal.Session session) {

    public Resumption {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(team, "team");
        Objects.requireNonNull(requirement, "requirement");
        Objects.requireNonNull(workspace, "workspace");
        Objects.requireNonNull(messages, "messages");
        Objects.requireNonNull(calls, "calls");
        Objects.requireNonNull(session, "session");
    }
}
