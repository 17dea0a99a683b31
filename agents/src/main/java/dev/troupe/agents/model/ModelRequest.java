package dev.troupe.agents.model;

import dev.troupe.agents.model.internal.PromptText;
import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.model.chat.request.ChatRequest;
import java.util.Objects;
import java.util.Optional;

/**
 * One model call with the context Troupe knows about it: which run, role and action asked, which
 * call of that action this is, and the JSON Schema the answer must satisfy, if any.
 *
 * @param step the 0-based index of this call within the action (repairs and tool turns count up)
 */
public record ModelRequest(
        String runId,
        String role,
        String action,
        int step,
        ChatRequest chatRequest,
        Optional<JsonNode> outputSchema) {

    public ModelRequest {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(chatRequest, "chatRequest");
        Objects.requireNonNull(outputSchema, "outputSchema");
    }

    /** The text of every message of the request, joined, as matched by scripted models. */
    public String promptText() {
        return PromptText.of(chatRequest.messages());
    }

    /** Where this call comes from, for error messages. */
    public String where() {
        return "role '" + role + "', action '" + action + "', call " + step;
    }
}
