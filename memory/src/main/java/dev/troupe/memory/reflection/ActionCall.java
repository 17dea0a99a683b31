package dev.troupe.memory.reflection;

import static com.google.common.base.Preconditions.checkArgument;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Objects;

/**
 * One action as a planner chose it: the action's (or tool's) name and its JSON object of arguments.
 *
 * <p>Jackson nodes are mutable, so the arguments are copied in and out; two calls are equal when
 * their names and argument trees are equal (object field order does not matter).
 */
public record ActionCall(String name, JsonNode arguments) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public ActionCall {
        checkArgument(name != null && !name.isBlank(), "action name must not be blank but was '%s'", name);
        checkArgument(name.strip().equals(name), "action name must not start or end with whitespace: '%s'", name);
        Objects.requireNonNull(arguments, () -> "arguments of action '" + name + "' must not be null (use {})");
        checkArgument(arguments.isObject(), "arguments of action '%s' must be a JSON object but were %s", name, arguments);
        arguments = canonical(name, arguments);
    }

    /** A call without arguments. */
    public static ActionCall of(String name) {
        return new ActionCall(name, JsonNodeFactory.instance.objectNode());
    }

    /** A call whose arguments are given as JSON text, e.g. {@code {"city": "Paris"}}. */
    public static ActionCall of(String name, String argumentsJson) {
        checkArgument(argumentsJson != null, "arguments JSON of action '%s' must not be null", name);
        try {
            return new ActionCall(name, MAPPER.readTree(argumentsJson));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("arguments of action '" + name + "' are not valid JSON: "
                    + e.getOriginalMessage() + " in " + argumentsJson, e);
        }
    }

    /**
     * A copy of the tree as the parser reads its text: every number gets the node type the parser
     * picks (2 is an int node whether built as an int or a long), so calls that print the same
     * compare equal, as they do once stored and loaded.
     */
    private static JsonNode canonical(String name, JsonNode arguments) {
        try {
            return MAPPER.readTree(arguments.toString());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("arguments of action '" + name + "' cannot be written as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** A copy of the arguments; changing it does not change this call. */
    @Override
    public JsonNode arguments() {
        return arguments.deepCopy();
    }

    /** The arguments as compact JSON text. */
    public String argumentsJson() {
        return arguments.toString();
    }

    /** {@code name {"arg": 1}}, as shown in prompts and traces. */
    @Override
    public String toString() {
        return name + " " + argumentsJson();
    }
}
