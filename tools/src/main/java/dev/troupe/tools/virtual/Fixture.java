package dev.troupe.tools.virtual;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableMap;
import java.util.Map;
import java.util.Objects;

/**
 * A scripted answer of the virtual API server: when {@code function} is called with arguments that
 * include every {@code when} entry (compared as text), answer {@code status} and {@code body}.
 *
 * @param function the function name the answer is for
 * @param when argument values that must match; empty matches every call
 * @param status the HTTP status to answer (429 or 503 simulate faults)
 * @param body the JSON body to answer
 */
public record Fixture(String function, Map<String, String> when, int status, JsonNode body) {
    public Fixture {
        Objects.requireNonNull(function, "function");
        when = ImmutableMap.copyOf(when);
        body = body == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : body.deepCopy();
    }

    @Override
    public JsonNode body() {
        return body.deepCopy();
    }

    boolean matches(String calledFunction, Map<String, JsonNode> arguments) {
        if (!function.equals(calledFunction)) {
            return false;
        }
        for (Map.Entry<String, String> w : when.entrySet()) {
            JsonNode value = arguments.get(w.getKey());
            if (value == null || !(value.isValueNode() ? value.asText() : value.toString()).equals(w.getValue())) {
                return false;
            }
        }
        return true;
    }
}
