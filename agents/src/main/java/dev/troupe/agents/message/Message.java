package dev.troupe.agents.message;

import static com.google.common.base.Preconditions.checkArgument;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import java.time.Instant;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One immutable message on the bus: who sent it, whom it is for (empty = everyone), which action
 * caused it, its text and, when the action has a schema, its validated JSON payload.
 *
 * @param round   how many steps separate it from the requirement (the requirement is round 0)
 * @param model   the model that produced it (e.g. {@code scripted:demo.yaml}); empty for user input
 */
public record Message(
        String id,
        String runId,
        int round,
        String sender,
        ImmutableSet<String> sendTo,
        String causeBy,
        String content,
        Optional<JsonNode> payload,
        ImmutableList<String> parents,
        Optional<String> model,
        Instant createdAt) {

    /** The causeBy of the message that starts every run. */
    public static final String USER_REQUIREMENT = "UserRequirement";

    public Message {
        checkArgument(id != null && !id.isBlank(), "message id must not be blank");
        checkArgument(runId != null && !runId.isBlank(), "runId must not be blank (message %s)", id);
        checkArgument(round >= 0, "round must be >= 0 but was %s", round);
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(sendTo, "sendTo");
        checkArgument(causeBy != null && !causeBy.isBlank(), "causeBy must not be blank (message %s)", id);
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(parents, "parents");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** Whether the message is addressed to everyone. */
    public boolean isBroadcast() {
        return sendTo.isEmpty();
    }

    /** Whether the message is addressed to {@code name}, explicitly or by broadcast. */
    public boolean isFor(String name) {
        return sendTo.isEmpty() || sendTo.contains(name);
    }

    /** Starts a message; set at least {@code runId}, {@code sender} and {@code causeBy}; the id is random unless set. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this message's values, to derive a changed copy. */
    public Builder newBuilder() {
        Builder b = new Builder();
        b.id = id;
        b.runId = runId;
        b.round = round;
        b.sender = sender;
        b.sendTo = sendTo;
        b.causeBy = causeBy;
        b.content = content;
        b.payload = payload.orElse(null);
        b.parents = parents;
        b.model = model.orElse(null);
        b.createdAt = createdAt;
        return b;
    }

    /**
     * A random (version 4) UUID from the thread-local generator: message and run ids need
     * uniqueness, not unpredictability, and SecureRandom is a hot spot under thousands of
     * concurrent runs.
     */
    public static String randomId() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        long hi = (r.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
        long lo = (r.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(hi, lo).toString();
    }

    /** Builds a {@link Message}; id and createdAt default to a random UUID and now. */
    public static final class Builder {
        private String id;
        private String runId;
        private int round;
        private String sender = "user";
        private ImmutableSet<String> sendTo = ImmutableSet.of();
        private String causeBy = USER_REQUIREMENT;
        private String content = "";
        private JsonNode payload;
        private ImmutableList<String> parents = ImmutableList.of();
        private String model;
        private Instant createdAt;

        private Builder() {}

        /** The message's id; set it for a deterministic id (a resumed run republishes under the same one). */
        public Builder id(String id) { this.id = id; return this; }
        /** The run the message belongs to. */
        public Builder runId(String runId) { this.runId = runId; return this; }
        /** The round the message was published in (0 for the requirement). */
        public Builder round(int round) { this.round = round; return this; }
        /** The role (or {@code user}) that published the message. */
        public Builder sender(String sender) { this.sender = sender; return this; }
        /** The roles the message is addressed to; empty broadcasts it to every role that watches its action. */
        public Builder sendTo(Collection<String> sendTo) { this.sendTo = ImmutableSet.copyOf(sendTo); return this; }
        /** The action that produced the message, which roles watch. */
        public Builder causeBy(String causeBy) { this.causeBy = causeBy; return this; }
        /** The message's text, as roles and the report show it. */
        public Builder content(String content) { this.content = content; return this; }
        /** The structured answer of an action with a schema. */
        public Builder payload(JsonNode payload) { this.payload = payload; return this; }
        /** The ids of the messages the publishing step answered. */
        public Builder parents(Collection<String> parents) { this.parents = ImmutableList.copyOf(parents); return this; }
        /** The model spec that wrote the message, if one did. */
        public Builder model(String model) { this.model = model; return this; }
        /** When the message was made; now by default. */
        public Builder createdAt(Instant createdAt) { this.createdAt = createdAt; return this; }

        /** The message; a random id and the current time unless they were set. */
        public Message build() {
            return new Message(
                    id == null ? randomId() : id,
                    runId, round, sender, sendTo, causeBy, content,
                    Optional.ofNullable(payload), parents, Optional.ofNullable(model),
                    createdAt == null ? Instant.now() : createdAt);
        }
    }
}
