package dev.troupe.tools.virtual;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Makes a plausible answer from ToolBench's {@code template_response} (type names as values,
 * {@code _list_length} for lists) or from a JSON Schema, deterministically from a seed, echoing the
 * caller's arguments where a field has the same name — so a plan that looks something up sees it again.
 */
final class ResponseSynthesizer {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Lists are kept short: an observation has a character cap, and three items show the shape. */
    private static final int MAX_ITEMS = 3;
    private static final int MAX_DEPTH = 10;
    private static final int MAX_PROPERTIES = 40;
    private static final List<String> WORDS = List.of("alpha", "amber", "atlas", "aurora", "birch", "cobalt", "delta",
            "ember", "falcon", "harbor", "indigo", "juniper", "lumen", "maple", "nova", "orion", "pioneer", "quartz",
            "river", "sierra", "summit", "tango", "vista", "willow");
    private static final List<String> CITIES = List.of("Paris", "Tokyo", "Lisbon", "Toronto", "Nairobi", "Sydney", "Denver", "Oslo");
    private static final List<String> COUNTRIES = List.of("France", "Japan", "Portugal", "Canada", "Kenya", "Australia", "Norway");

    private final SplittableRandom random;
    private final Map<String, JsonNode> arguments;

    ResponseSynthesizer(long seed, Map<String, JsonNode> arguments) {
        this.random = new SplittableRandom(seed);
        this.arguments = arguments;
    }

    JsonNode fromTemplate(JsonNode template) {
        return template(template, "", 0);
    }

    JsonNode fromSchema(JsonNode schema) {
        return schema(schema, "", 0);
    }

    private JsonNode template(JsonNode t, String key, int depth) {
        if (depth > MAX_DEPTH) {
            return NODES.nullNode();
        }
        if (t.isObject()) {
            ObjectNode out = NODES.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = t.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (!f.getKey().equals("_list_length")) {
                    out.set(f.getKey(), template(f.getValue(), f.getKey(), depth + 1));
                }
            }
            return out;
        }
        if (t.isArray()) {
            ArrayNode out = NODES.arrayNode();
            if (t.isEmpty()) {
                return out;
            }
            JsonNode item = t.get(0);
            int length = item.path("_list_length").asInt(2);
            if (item.isTextual() && item.asText().startsWith("list of ")) {
                // "list of str with length 8"
                String type = item.asText().substring("list of ".length()).split(" ")[0];
                for (int i = 0; i < Math.min(MAX_ITEMS, Math.max(1, lengthIn(item.asText()))); i++) {
                    out.add(typed(type, key));
                }
                return out;
            }
            for (int i = 0; i < Math.min(MAX_ITEMS, Math.max(1, length)); i++) {
                out.add(template(item, key, depth + 1));
            }
            return out;
        }
        if (t.isTextual()) {
            return typed(t.asText(), key);
        }
        return t.deepCopy();
    }

    private JsonNode typed(String type, String key) {
        return switch (type) {
            case "str" -> string(key, null);
            case "int" -> echo(key).filter(JsonNode::isIntegralNumber).orElseGet(() -> NODES.numberNode(integer(key)));
            case "float" -> echo(key).filter(JsonNode::isNumber).orElseGet(() -> NODES.numberNode(Math.round(random.nextDouble(0, 1000) * 100) / 100.0));
            case "bool" -> NODES.booleanNode(random.nextBoolean());
            case "NoneType" -> NODES.nullNode();
            case "list", "empty list" -> NODES.arrayNode();
            case "dict" -> NODES.objectNode();
            // Anything else in a template is a literal the API always returns.
            default -> NODES.textNode(type);
        };
    }

    private JsonNode schema(JsonNode s, String key, int depth) {
        if (depth > MAX_DEPTH || !s.isObject()) {
            return NODES.nullNode();
        }
        if (s.has("example")) {
            return s.get("example").deepCopy();
        }
        if (s.path("examples").isArray() && !s.path("examples").isEmpty()) {
            return s.path("examples").get(0).deepCopy();
        }
        if (s.path("enum").isArray() && !s.path("enum").isEmpty()) {
            return s.path("enum").get(random.nextInt(s.path("enum").size())).deepCopy();
        }
        for (String combinator : List.of("oneOf", "anyOf")) {
            if (s.path(combinator).isArray() && !s.path(combinator).isEmpty()) {
                return schema(s.path(combinator).get(0), key, depth + 1);
            }
        }
        if (s.path("allOf").isArray()) {
            ObjectNode merged = NODES.objectNode();
            s.path("allOf").forEach(part -> {
                JsonNode value = schema(part, key, depth + 1);
                if (value.isObject()) {
                    merged.setAll((ObjectNode) value);
                }
            });
            return merged;
        }
        String type = s.path("type").isArray() ? s.path("type").get(0).asText() : s.path("type").asText(s.has("properties") ? "object" : "string");
        return switch (type) {
            case "object" -> {
                ObjectNode out = NODES.objectNode();
                int n = 0;
                for (Iterator<Map.Entry<String, JsonNode>> it = s.path("properties").fields(); it.hasNext() && n++ < MAX_PROPERTIES; ) {
                    Map.Entry<String, JsonNode> p = it.next();
                    out.set(p.getKey(), schema(p.getValue(), p.getKey(), depth + 1));
                }
                yield out;
            }
            case "array" -> {
                ArrayNode out = NODES.arrayNode();
                int count = Math.max(s.path("minItems").asInt(0), 2);
                for (int i = 0; i < Math.min(count, MAX_ITEMS); i++) {
                    out.add(schema(s.path("items"), key, depth + 1));
                }
                yield out;
            }
            case "integer" -> echo(key).filter(JsonNode::isIntegralNumber).orElseGet(() -> {
                long min = s.path("minimum").asLong(0);
                long max = s.has("maximum") ? s.path("maximum").asLong() : min + 1000;
                return NODES.numberNode(max > min ? random.nextLong(min, max + 1) : min);
            });
            case "number" -> echo(key).filter(JsonNode::isNumber).orElseGet(() -> {
                double min = s.path("minimum").asDouble(0);
                double max = s.has("maximum") ? s.path("maximum").asDouble() : min + 1000;
                return NODES.numberNode(Math.round((max > min ? random.nextDouble(min, max) : min) * 100) / 100.0);
            });
            case "boolean" -> NODES.booleanNode(random.nextBoolean());
            case "null" -> NODES.nullNode();
            default -> string(key, s.path("format").asText(null));
        };
    }

    private JsonNode string(String key, String format) {
        var echoed = echo(key);
        if (echoed.isPresent()) {
            return NODES.textNode(echoed.get().asText());
        }
        String k = key.toLowerCase(Locale.ROOT);
        String f = format == null ? "" : format;
        String word = WORDS.get(random.nextInt(WORDS.size()));
        String hex = HexFormat.of().toHexDigits(random.nextInt()).substring(0, 8);
        if (f.equals("date-time") || k.endsWith("_at") || k.contains("timestamp") || k.contains("datetime")) {
            return NODES.textNode(date() + "T" + String.format("%02d:%02d:00Z", random.nextInt(24), random.nextInt(60)));
        }
        if (f.equals("date") || k.contains("date") || k.equals("day")) {
            return NODES.textNode(date().toString());
        }
        if (f.equals("uuid")) {
            return NODES.textNode(hex + "-" + hex.substring(0, 4) + "-4" + hex.substring(1, 4) + "-a" + hex.substring(5, 8) + "-" + hex + hex.substring(0, 4));
        }
        if (f.equals("email") || k.contains("email")) {
            return NODES.textNode(word + "." + hex.substring(0, 4) + "@example.com");
        }
        if (f.startsWith("uri") || f.equals("url") || k.contains("url") || k.contains("link") || k.contains("href")
                || k.contains("image") || k.contains("website") || k.contains("thumbnail")) {
            return NODES.textNode("https://example.com/" + (k.isEmpty() ? "item" : k.replaceAll("[^a-z0-9]+", "-")) + "/" + hex);
        }
        if (k.equals("id") || k.endsWith("_id") || k.endsWith("-id") || key.endsWith("Id") || key.endsWith("ID")) {
            return NODES.textNode(hex);
        }
        if (k.contains("phone")) {
            return NODES.textNode("+1-555-01" + String.format("%02d", random.nextInt(100)));
        }
        if (k.contains("city")) {
            return NODES.textNode(CITIES.get(random.nextInt(CITIES.size())));
        }
        if (k.contains("country")) {
            return NODES.textNode(COUNTRIES.get(random.nextInt(COUNTRIES.size())));
        }
        if (k.contains("time")) {
            return NODES.textNode(String.format("%02d:%02d", random.nextInt(24), random.nextInt(60)));
        }
        if (k.contains("name") || k.contains("title")) {
            return NODES.textNode(capitalise(word) + " " + capitalise(WORDS.get(random.nextInt(WORDS.size()))));
        }
        return NODES.textNode((k.isEmpty() ? "value" : k.replace('_', ' ')) + " " + word);
    }

    private long integer(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        if (k.contains("year")) {
            return random.nextLong(1990, 2025);
        }
        return random.nextLong(0, 1000);
    }

    private LocalDate date() {
        return LocalDate.of(2024, 1, 1).plusDays(random.nextInt(366));
    }

    /** The caller's own value for a field of the same name, if it sent one. */
    private java.util.Optional<JsonNode> echo(String key) {
        JsonNode value = key.isEmpty() ? null : arguments.get(key);
        return value == null || !value.isValueNode() ? java.util.Optional.empty() : java.util.Optional.of(value);
    }

    private static int lengthIn(String description) {
        String[] words = description.split(" ");
        try {
            return Integer.parseInt(words[words.length - 1]);
        } catch (NumberFormatException e) {
            return 2;
        }
    }

    private static String capitalise(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
