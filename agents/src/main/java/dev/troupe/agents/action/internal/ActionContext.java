package dev.troupe.agents.action.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import dev.troupe.agents.event.RunListener;
import dev.troupe.agents.model.ModelBackend;
import dev.troupe.agents.model.internal.ModelGateway;
import dev.troupe.agents.reflection.internal.ReflectionScope;
import java.util.Optional;
import java.util.function.Function;

/**
 * Everything one execution of an action needs: who runs it, the system prompt of its role, how to
 * resolve template variables, the model and the gateway, and any extra check on its output.
 *
 * @param extraCheck semantic checks beyond the schema; returns error lines, empty when the output is fine
 * @param reflection where reflective actions keep their lessons; empty when the run has no store
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
        Function<JsonNode, ImmutableList<String>> extraCheck,
        Optional<ReflectionScope> reflection) {

    /** A context without reflection, for actions that do not retry under lessons. */
    public ActionContext(String runId, String role, String systemPrompt, Function<String, Optional<String>> variables,
                         boolean appendInputWhenUnreferenced, ModelBackend model, ModelGateway gateway, RunListener listener,
                         Function<JsonNode, ImmutableList<String>> extraCheck) {
        this(runId, role, systemPrompt, variables, appendInputWhenUnreferenced, model, gateway, listener, extraCheck, Optional.empty());
    }

    public static Function<JsonNode, ImmutableList<String>> noExtraCheck() {
        return j -> ImmutableList.of();
    }
}
