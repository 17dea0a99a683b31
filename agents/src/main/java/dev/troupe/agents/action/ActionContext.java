package dev.troupe.agents.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import dev.troupe.agents.event.RunListener;
import dev.troupe.agents.model.ModelBackend;
import dev.troupe.agents.model.ModelGateway;
import java.util.Optional;
import java.util.function.Function;

/**
 * Everything one execution of an action needs: who runs it, the system prompt of its role, how to
 * resolve template variables, the model and the gateway, and any extra check on its output.
 *
 * @param extraCheck semantic checks beyond the schema; returns error lines, empty when the output is fine
 */
public record ActionContext(
        String runId,
        String role,
        String systemPrompt,
        Function<String, Optional<String>> variables,
        boolean appendInputWhenUnreferenced,
        ModelBackend model,
        ModelGateway gateway,
        RunListener listener,
        Function<JsonNode, ImmutableList<String>> extraCheck) {

    public static Function<JsonNode, ImmutableList<String>> noExtraCheck() {
        return j -> ImmutableList.of();
    }
}
