package dev.troupe.memory.journal;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Objects;

/**
 * One published message as the journal keeps it: the whole message as JSON text, plus the few
 * fields that {@code troupe runs show} lists without parsing it.
 */
public record MessageEntry(String messageId, String sender, String causeBy, int round, String json) {

    public MessageEntry {
        checkArgument(messageId != null && !messageId.isBlank(), "messageId must not be blank");
        Objects.requireNonNull(sender, "sender");
        checkArgument(causeBy != null && !causeBy.isBlank(), "causeBy of message '%s' must not be blank", messageId);
        checkArgument(round >= 0, "round of message '%s' must be >= 0 but was %s", messageId, round);
        checkArgument(json != null && !json.isBlank(), "json of message '%s' must not be blank", messageId);
    }
}
