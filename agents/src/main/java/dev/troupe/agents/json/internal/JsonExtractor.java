package dev.troupe.agents.json.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the JSON value in a model's answer even when it is wrapped in ``` fences or prose:
 * the whole text, else a fenced block, else the first balanced object or array.
 */
public final class JsonExtractor {
    private static final Pattern FENCE = Pattern.compile("```[a-zA-Z0-9_-]*\\s*\\n?(.*?)```", Pattern.DOTALL);

    private JsonExtractor() {}

    public static Optional<JsonNode> extract(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        Optional<JsonNode> whole = parse(text.strip());
        if (whole.isPresent()) {
            return whole;
        }
        Matcher m = FENCE.matcher(text);
        while (m.find()) {
            Optional<JsonNode> fenced = parse(m.group(1).strip());
            if (fenced.isPresent()) {
                return fenced;
            }
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{' || c == '[') {
                int end = balancedEnd(text, i);
                if (end > i) {
                    Optional<JsonNode> candidate = parse(text.substring(i, end + 1));
                    if (candidate.isPresent()) {
                        return candidate;
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<JsonNode> parse(String s) {
        if (s.isEmpty() || (s.charAt(0) != '{' && s.charAt(0) != '[')) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.MAPPER.readTree(s));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** The index of the bracket closing the one at {@code start}, honouring strings; -1 if none. */
    private static int balancedEnd(String s, int start) {
        int depth = 0;
        boolean inString = false;
        for (int i = start; i < s.length(); i++) {
            char c = s.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }
}
