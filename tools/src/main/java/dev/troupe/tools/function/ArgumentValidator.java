package dev.troupe.tools.function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableList;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks a model's arguments against a function's JSON Schema, after the lenient coercions every
 * model needs ({@code "5"} for 5, {@code "true"} for true, a number for a string), and says what is wrong
 * in words a model can act on.
 */
public final class ArgumentValidator {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    private final Map<String, JsonSchema> compiled = new ConcurrentHashMap<>();

    /** The outcome: coerced arguments, or the problems found (never both). */
    public record Result(ObjectNode arguments, List<String> problems) {
        public Result {
            problems = ImmutableList.copyOf(problems);
        }

        public boolean valid() {
            return problems.isEmpty();
        }
    }

    public Result validate(ToolFunction function, String argumentsJson) {
        JsonNode parsed;
        try {
            parsed = argumentsJson == null || argumentsJson.isBlank() ? MAPPER.createObjectNode() : MAPPER.readTree(argumentsJson);
        } catch (JsonProcessingException e) {
            return new Result(MAPPER.createObjectNode(), List.of("the arguments are not valid JSON ("
                    + e.getOriginalMessage() + "); send one JSON object such as {\"name\": \"value\"}"));
        }
        if (!parsed.isObject()) {
            return new Result(MAPPER.createObjectNode(), List.of("the arguments must be one JSON object, got "
                    + parsed.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
        }
        ObjectNode arguments = coerce(function, (ObjectNode) parsed);
        List<String> problems = new ArrayList<>();
        for (Iterator<String> names = arguments.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!function.arguments().containsKey(name)) {
                problems.add("unknown argument '" + name + "'; " + function.name() + " takes "
                        + (function.arguments().isEmpty() ? "no arguments" : String.join(", ", function.arguments().keySet())));
            }
        }
        JsonSchema schema = compiled.computeIfAbsent(function.name(), n -> {
            ObjectNode s = function.parametersSchema();
            // Unknown names are reported above with the list of valid ones, which helps more than the validator's wording.
            s.remove("additionalProperties");
            return FACTORY.getSchema(s);
        });
        Set<ValidationMessage> messages = schema.validate(arguments);
        messages.stream().map(ValidationMessage::getMessage).sorted().forEach(problems::add);
        return new Result(arguments, problems);
    }

    private static ObjectNode coerce(ToolFunction function, ObjectNode raw) {
        ObjectNode out = raw.deepCopy();
        function.arguments().forEach((name, param) -> {
            JsonNode value = out.get(name);
            if (value == null) {
                return;
            }
            if (value.isNull() && !param.required()) {
                // Models send null for "not given"; dropping it is what they mean.
                out.remove(name);
                return;
            }
            switch (param.type()) {
                case "string" -> {
                    if (value.isNumber() || value.isBoolean()) {
                        out.put(name, value.asText());
                    }
                }
                case "integer" -> {
                    if (value.isTextual() && value.asText().strip().matches("[-+]?\\d{1,18}")) {
                        out.put(name, Long.parseLong(value.asText().strip()));
                    } else if (value.isFloatingPointNumber() && value.asDouble() == Math.rint(value.asDouble())) {
                        out.put(name, value.asLong());
                    }
                }
                case "number" -> {
                    if (value.isTextual()) {
                        try {
                            out.put(name, new java.math.BigDecimal(value.asText().strip()));
                        } catch (NumberFormatException ignored) {
                            // Left as text: the schema check then tells the model a number is wanted.
                        }
                    }
                }
                case "boolean" -> {
                    if (value.isTextual() && (value.asText().equalsIgnoreCase("true") || value.asText().equalsIgnoreCase("false"))) {
                        out.put(name, Boolean.parseBoolean(value.asText()));
                    }
                }
                default -> {
                }
            }
        });
        return out;
    }
}
