package dev.troupe.tools.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Function;

/**
 * Replaces local {@code $ref}s in a schema with the referenced component, so a stored schema stands on
 * its own. Recursion and very large schemas are cut off (with a note in the description) because a
 * function schema is for a model to read, and the catalog must stay small on 100k endpoints.
 */
final class SchemaInliner {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String[] PREFIXES = {"#/components/schemas/", "#/definitions/"};

    private final Function<String, JsonNode> components;
    private final int maxDepth;
    private final int maxNodes;
    private final boolean shapeOnly;
    private int emitted;

    /**
     * @param components a component schema by name, or null when there is none
     * @param shapeOnly drop descriptions, titles and non-scalar examples: a response schema only has to
     *     give an answer its shape, and on 100k endpoints the prose would dominate the catalog's size
     */
    SchemaInliner(Function<String, JsonNode> components, int maxDepth, int maxNodes, boolean shapeOnly) {
        this.components = components;
        this.maxDepth = maxDepth;
        this.maxNodes = maxNodes;
        this.shapeOnly = shapeOnly;
    }

    /** A self-contained copy of {@code schema}; each call has its own node budget. */
    JsonNode inline(JsonNode schema) {
        emitted = 0;
        return walk(schema, 0, new ArrayDeque<>());
    }

    private JsonNode walk(JsonNode node, int depth, Deque<String> refs) {
        if (++emitted > maxNodes) {
            return NODES.objectNode().put("description", "(schema cut short: too large)");
        }
        if (node.isArray()) {
            ArrayNode out = NODES.arrayNode();
            node.forEach(item -> out.add(walk(item, depth, refs)));
            return out;
        }
        if (!node.isObject()) {
            return node.deepCopy();
        }
        JsonNode ref = node.get("$ref");
        if (ref != null && ref.isTextual()) {
            return resolve(ref.asText(), (ObjectNode) node, depth, refs);
        }
        ObjectNode out = NODES.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey();
            // Vendor extensions and XML hints are noise to a model and to the catalog's size.
            if (key.startsWith("x-") || key.equals("xml") || key.equals("externalDocs")) {
                continue;
            }
            if (shapeOnly && (key.equals("description") || key.equals("title")
                    || ((key.equals("example") || key.equals("examples")) && field.getValue().isContainerNode()))) {
                continue;
            }
            // Inside "properties" the keys are property names, not keywords; their values are schemas.
            boolean nested = key.equals("properties") || key.equals("items") || key.equals("additionalProperties")
                    || key.equals("allOf") || key.equals("anyOf") || key.equals("oneOf") || key.equals("not");
            out.set(key, walk(field.getValue(), nested ? depth + 1 : depth, refs));
        }
        return out;
    }

    private JsonNode resolve(String ref, ObjectNode at, int depth, Deque<String> refs) {
        String name = null;
        for (String prefix : PREFIXES) {
            if (ref.startsWith(prefix)) {
                name = ref.substring(prefix.length());
            }
        }
        JsonNode target = name == null ? null : components.apply(name);
        ObjectNode out;
        if (target == null) {
            out = NODES.objectNode().put("description", "(unresolved reference " + ref + ")");
        } else if (refs.contains(name) || depth >= maxDepth) {
            out = NODES.objectNode().put("type", "object").put("description", "(" + name + ", not expanded further)");
        } else {
            refs.push(name);
            JsonNode resolved = walk(target, depth + 1, refs);
            refs.pop();
            out = resolved.isObject() ? (ObjectNode) resolved : NODES.objectNode();
        }
        // OpenAPI 3.1 allows siblings next to $ref; a local description is more specific than the component's.
        if (!shapeOnly && at.hasNonNull("description")) {
            out.put("description", at.get("description").asText());
        }
        return out;
    }
}
