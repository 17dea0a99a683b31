package dev.troupe.tools.function;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.model.chat.request.json.JsonAnyOfSchema;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonBooleanSchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonNullSchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Turns a JSON Schema (as Jackson nodes) into LangChain4j's typed schema elements, which every
 * provider module knows how to send; constructs LangChain4j has no element for travel as raw schema.
 */
public final class JsonSchemaElements {
    private JsonSchemaElements() {
    }

    public static JsonSchemaElement from(JsonNode schema) {
        String description = schema.path("description").asText(null);
        JsonNode enumValues = schema.get("enum");
        if (enumValues != null && enumValues.isArray() && !enumValues.isEmpty() && allText(enumValues)) {
            List<String> values = new ArrayList<>();
            enumValues.forEach(v -> values.add(v.asText()));
            return JsonEnumSchema.builder().enumValues(values).description(description).build();
        }
        JsonNode alternatives = schema.has("anyOf") ? schema.get("anyOf") : schema.get("oneOf");
        if (alternatives != null && alternatives.isArray() && !alternatives.isEmpty()) {
            List<JsonSchemaElement> options = new ArrayList<>();
            alternatives.forEach(a -> options.add(from(a)));
            return JsonAnyOfSchema.builder().anyOf(options).description(description).build();
        }
        if (schema.path("allOf").isArray() && !schema.path("allOf").isEmpty()) {
            return object(mergeAllOf(schema));
        }
        JsonNode type = schema.get("type");
        if (type == null && schema.has("properties")) {
            return object(schema);
        }
        if (type == null && schema.has("items")) {
            type = com.fasterxml.jackson.databind.node.TextNode.valueOf("array");
        }
        if (type != null && type.isArray()) {
            List<JsonSchemaElement> options = new ArrayList<>();
            type.forEach(t -> options.add(from(schema.deepCopy().<com.fasterxml.jackson.databind.node.ObjectNode>require()
                    .put("type", t.asText()))));
            return JsonAnyOfSchema.builder().anyOf(options).description(description).build();
        }
        return switch (type == null ? "" : type.asText()) {
            case "string" -> JsonStringSchema.builder().description(description).build();
            case "integer" -> JsonIntegerSchema.builder().description(description).build();
            case "number" -> JsonNumberSchema.builder().description(description).build();
            case "boolean" -> JsonBooleanSchema.builder().description(description).build();
            case "null" -> new JsonNullSchema();
            case "array" -> JsonArraySchema.builder().description(description)
                    .items(schema.has("items") && schema.get("items").isObject()
                            ? from(schema.get("items")) : JsonStringSchema.builder().build())
                    .build();
            case "object" -> object(schema);
            // No type: any JSON value is valid, which LangChain4j can only say as a raw schema; keywords it
            // would carry (formats, bounds) are not worth a large raw blob in every prompt.
            default -> JsonRawSchema.from(schema.size() <= 8 && schema.toString().length() <= 500 ? schema.toString() : "{}");
        };
    }

    /** The object form; also used for a function's top-level parameters. */
    public static JsonObjectSchema object(JsonNode schema) {
        JsonObjectSchema.Builder b = JsonObjectSchema.builder().description(schema.path("description").asText(null));
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            b.addProperty(p.getKey(), from(p.getValue()));
        }
        List<String> required = new ArrayList<>();
        schema.path("required").forEach(r -> required.add(r.asText()));
        if (!required.isEmpty()) {
            b.required(required);
        }
        if (schema.path("additionalProperties").isBoolean()) {
            b.additionalProperties(schema.get("additionalProperties").asBoolean());
        }
        return b.build();
    }

    /**
     * OpenAPI composes objects with {@code allOf}; LangChain4j has no such element, so the parts' properties
     * and required lists are merged into one object (what a model needs to fill it in).
     */
    private static JsonNode mergeAllOf(JsonNode schema) {
        com.fasterxml.jackson.databind.node.ObjectNode merged = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        com.fasterxml.jackson.databind.node.ObjectNode properties = merged.putObject("properties");
        com.fasterxml.jackson.databind.node.ArrayNode required = merged.putArray("required");
        java.util.Deque<JsonNode> parts = new java.util.ArrayDeque<>();
        parts.push(schema);
        while (!parts.isEmpty()) {
            JsonNode part = parts.pop();
            part.path("allOf").forEach(parts::push);
            part.path("properties").fields().forEachRemaining(p -> properties.set(p.getKey(), p.getValue()));
            part.path("required").forEach(r -> {
                if (!required.toString().contains("\"" + r.asText() + "\"")) {
                    required.add(r.asText());
                }
            });
        }
        if (schema.hasNonNull("description")) {
            merged.put("description", schema.get("description").asText());
        }
        return merged;
    }

    private static boolean allText(JsonNode values) {
        for (JsonNode v : values) {
            if (!v.isTextual()) {
                return false;
            }
        }
        return true;
    }
}
