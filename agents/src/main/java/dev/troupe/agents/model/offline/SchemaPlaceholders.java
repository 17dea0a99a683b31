package dev.troupe.agents.model.offline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Builds a value that satisfies a JSON Schema's common keywords (type, properties, required, enum,
 * const, items, min/max, minLength, oneOf/anyOf), with strings that say they are placeholders.
 */
final class SchemaPlaceholders {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final int MAX_DEPTH = 12;

    private SchemaPlaceholders() {}

    static JsonNode generate(JsonNode schema) {
        return value(schema, "value", 0);
    }

    private static JsonNode value(JsonNode s, String name, int depth) {
        if (s == null || !s.isObject() || depth > MAX_DEPTH) {
            return F.textNode("dry-run " + name);
        }
        if (s.has("const")) {
            return s.get("const");
        }
        if (s.has("enum") && s.get("enum").size() > 0) {
            return s.get("enum").get(0);
        }
        if (s.has("default")) {
            return s.get("default");
        }
        for (String combinator : new String[] {"oneOf", "anyOf", "allOf"}) {
            if (s.has(combinator) && s.get(combinator).size() > 0) {
                return value(s.get(combinator).get(0), name, depth + 1);
            }
        }
        String type = typeOf(s);
        return switch (type) {
            case "object" -> object(s, depth);
            case "array" -> array(s, name, depth);
            case "integer" -> F.numberNode((long) bounded(s, true));
            case "number" -> F.numberNode(bounded(s, false));
            case "boolean" -> F.booleanNode(true);
            case "null" -> F.nullNode();
            default -> text(s, name);
        };
    }

    /**
     * A number inside minimum/maximum and their exclusive forms: the lower bound (1 when there is none),
     * pulled under the upper bound; integers are rounded into the range, a narrower real range gives its middle.
     */
    private static double bounded(JsonNode s, boolean integer) {
        double lo = s.path("minimum").isNumber() ? s.get("minimum").asDouble() : Double.NEGATIVE_INFINITY;
        double hi = s.path("maximum").isNumber() ? s.get("maximum").asDouble() : Double.POSITIVE_INFINITY;
        boolean loEx = s.path("exclusiveMinimum").isNumber() && s.get("exclusiveMinimum").asDouble() >= lo;
        boolean hiEx = s.path("exclusiveMaximum").isNumber() && s.get("exclusiveMaximum").asDouble() <= hi;
        lo = loEx ? s.get("exclusiveMinimum").asDouble() : lo;
        hi = hiEx ? s.get("exclusiveMaximum").asDouble() : hi;
        if (integer) {
            lo = loEx ? Math.floor(lo) + 1 : Math.ceil(lo);
            hi = hiEx ? Math.ceil(hi) - 1 : Math.floor(hi);
            loEx = false;
            hiEx = false;
        }
        double v = lo == Double.NEGATIVE_INFINITY ? 1 : loEx ? lo + 1 : lo;
        if (v > hi || (hiEx && v >= hi)) {
            v = hiEx ? hi - 1 : hi;
        }
        if (v < lo || (loEx && v <= lo)) {
            v = (lo + hi) / 2;
        }
        return v;
    }

    private static String typeOf(JsonNode s) {
        JsonNode t = s.get("type");
        if (t != null && t.isTextual()) {
            return t.asText();
        }
        if (t != null && t.isArray()) {
            for (JsonNode each : t) {
                if (!"null".equals(each.asText())) {
                    return each.asText();
                }
            }
        }
        if (s.has("properties")) {
            return "object";
        }
        if (s.has("items")) {
            return "array";
        }
        return "string";
    }

    private static JsonNode object(JsonNode s, int depth) {
        ObjectNode o = F.objectNode();
        JsonNode props = s.path("properties");
        for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            o.set(e.getKey(), value(e.getValue(), e.getKey(), depth + 1));
        }
        return o;
    }

    private static JsonNode array(JsonNode s, String name, int depth) {
        ArrayNode a = F.arrayNode();
        int n = s.has("minItems") ? s.get("minItems").asInt() : 1;
        if (s.has("maxItems")) {
            n = Math.min(n, s.get("maxItems").asInt());
        }
        for (int i = 0; i < n; i++) {
            a.add(value(s.get("items"), name + " " + (i + 1), depth + 1));
        }
        return a;
    }

    private static JsonNode text(JsonNode s, String name) {
        String t = "dry-run " + name;
        int min = s.path("minLength").asInt(0);
        while (t.length() < min) {
            t = t + ".";
        }
        if (s.has("maxLength") && t.length() > s.get("maxLength").asInt()) {
            t = t.substring(0, s.get("maxLength").asInt());
        }
        return F.textNode(t);
    }
}
