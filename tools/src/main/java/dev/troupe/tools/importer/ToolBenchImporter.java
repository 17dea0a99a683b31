package dev.troupe.tools.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.troupe.tools.function.FunctionNames;
import dev.troupe.tools.spec.ApiSpec;
import dev.troupe.tools.spec.AuthSpec;
import dev.troupe.tools.spec.Endpoint;
import dev.troupe.tools.spec.Param;
import dev.troupe.tools.spec.ParamLocation;
import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads ToolBench's formats: a tool file ({@code tool_name}, {@code tool_description}, {@code api_list})
 * and a StableToolBench query file, whose {@code api_list} entries are grouped back into one spec per tool.
 */
public final class ToolBenchImporter {
    /** ToolBench tools are RapidAPI tools: one key header for all of them, plus the host header. */
    static final String RAPIDAPI_KEY_HEADER = "X-RapidAPI-Key";
    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = new com.fasterxml.jackson.databind.ObjectMapper();

    private ToolBenchImporter() {
    }

    /** Whether a parsed file looks like a ToolBench tool. */
    static boolean isToolFile(JsonNode root) {
        return root.isObject() && root.has("api_list") && (root.has("tool_name") || root.has("name"));
    }

    /** Whether a parsed file looks like a StableToolBench query file. */
    static boolean isQueryFile(JsonNode root) {
        return root.isArray() && !root.isEmpty() && root.get(0).has("api_list");
    }

    /**
     * One tool file. Its category is {@code category_name} when present, else the folder it sits in
     * (ToolBench keeps tools under {@code tools/<Category>/<tool>.json}).
     */
    static ApiSpec fromToolFile(JsonNode root, String source, String folderCategory, List<SkippedSpec> skipped) {
        String toolName = text(root, "tool_name", text(root, "name", ""));
        if (toolName.isBlank()) {
            throw new IllegalArgumentException("the tool has no tool_name");
        }
        ApiSpec.Builder spec = ApiSpec.builder(toolName)
                .description(text(root, "tool_description", text(root, "description", "")))
                .category(text(root, "category_name", folderCategory))
                .source(source);
        String host = text(root, "host", "");
        if (!host.isBlank()) {
            spec.baseUrl("https://" + host).auth(AuthSpec.apiKeyHeader(RAPIDAPI_KEY_HEADER)).header("X-RapidAPI-Host", host);
        }
        Set<String> seen = new HashSet<>();
        Set<String> paths = new HashSet<>();
        int index = 0;
        for (JsonNode api : root.path("api_list")) {
            String where = "api_list[" + index++ + "]";
            String apiName = text(api, "name", text(api, "api_name", ""));
            if (apiName.isBlank()) {
                skipped.add(new SkippedSpec(source, where + " of tool '" + toolName + "' has no name; that API was left out"));
                continue;
            }
            if (!seen.add(apiName)) {
                continue;
            }
            try {
                spec.endpoint(uniquePath(endpoint(api, apiName, text(api, "url", "")), paths));
            } catch (IllegalArgumentException e) {
                skipped.add(new SkippedSpec(source, where + " ('" + apiName + "') of tool '" + toolName + "': " + e.getMessage()));
            }
        }
        return spec.build();
    }

    /**
     * The tools behind a StableToolBench query file: every {@code api_list} entry of every query,
     * grouped by tool in order of first appearance, each API once.
     */
    static List<ApiSpec> fromQueryFile(JsonNode root, String source, List<SkippedSpec> skipped) {
        Map<String, ApiSpec.Builder> tools = new LinkedHashMap<>();
        Map<String, Set<String>> apis = new LinkedHashMap<>();
        Map<String, Set<String>> paths = new LinkedHashMap<>();
        int queryIndex = 0;
        for (JsonNode query : root) {
            int apiIndex = 0;
            for (JsonNode api : query.path("api_list")) {
                String where = "[" + queryIndex + "].api_list[" + apiIndex++ + "]";
                String toolName = text(api, "tool_name", "");
                String apiName = text(api, "api_name", "");
                if (toolName.isBlank() || apiName.isBlank()) {
                    skipped.add(new SkippedSpec(source, where + " has no tool_name or api_name; it was left out"));
                    continue;
                }
                ApiSpec.Builder tool = tools.computeIfAbsent(toolName, n -> ApiSpec.builder(n)
                        .category(text(api, "category_name", "")).source(source));
                if (!apis.computeIfAbsent(toolName, n -> new HashSet<>()).add(apiName)) {
                    continue;
                }
                try {
                    tool.endpoint(uniquePath(endpoint(api, apiName, ""), paths.computeIfAbsent(toolName, n -> new HashSet<>())));
                } catch (IllegalArgumentException e) {
                    skipped.add(new SkippedSpec(source, where + " ('" + apiName + "' of '" + toolName + "'): " + e.getMessage()));
                }
            }
            queryIndex++;
        }
        return tools.values().stream().map(ApiSpec.Builder::build).filter(s -> !s.endpoints().isEmpty()).toList();
    }

    /** Two APIs of a tool may normalise to one path ("Get User", "get-user"); the later one gets a suffix so each is reachable. */
    private static Endpoint uniquePath(Endpoint endpoint, Set<String> taken) {
        String path = endpoint.path();
        for (int n = 2; !taken.add(endpoint.method() + " " + path); n++) {
            path = endpoint.path() + "_" + n;
        }
        return path.equals(endpoint.path()) ? endpoint : endpoint.toBuilder().path(path).build();
    }

    private static Endpoint endpoint(JsonNode api, String apiName, String url) {
        String method = text(api, "method", "GET").toUpperCase(Locale.ROOT);
        boolean bodyMethod = method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
        String path = url.isBlank() ? "/" + FunctionNames.standardize(apiName, "api") : pathOf(url);
        List<Param> params = new ArrayList<>();
        for (String group : List.of("required_parameters", "optional_parameters")) {
            boolean required = group.startsWith("required");
            for (JsonNode p : api.path(group)) {
                String name = text(p, "name", "");
                if (name.isBlank()) {
                    continue;
                }
                JsonNode defaultValue = p.get("default");
                ParamLocation location = bodyMethod ? ParamLocation.BODY : ParamLocation.QUERY;
                // RapidAPI URLs carry {name} placeholders, or the example value itself as a path segment.
                if (path.contains("{" + name + "}")) {
                    location = ParamLocation.PATH;
                } else if (required && defaultValue != null && defaultValue.isValueNode() && !defaultValue.asText().isBlank()) {
                    String templated = replaceSegment(path, defaultValue.asText(), "{" + name + "}");
                    if (!templated.equals(path)) {
                        path = templated;
                        location = ParamLocation.PATH;
                    }
                }
                String rawType = text(p, "type", "STRING");
                Param.Builder param = Param.builder(name, location).required(required)
                        .description(text(p, "description", ""))
                        .type(jsonType(rawType));
                if (rawType.toUpperCase(Locale.ROOT).startsWith("DATE")) {
                    param.format("date");
                }
                param.defaultValue(typedDefault(defaultValue, jsonType(rawType)));
                params.add(param.build());
            }
        }
        Endpoint.Builder endpoint = Endpoint.builder(apiName).method(method).path(path)
                .description(text(api, "api_description", text(api, "description", "")))
                .params(params);
        JsonNode template = api.get("template_response");
        if (template != null && template.isTextual()) {
            // Some files carry the template as JSON text (sometimes cut off); keep the tree when it parses.
            template = parsedOrText(template);
        }
        if (template != null && !template.isNull() && !(template.isTextual() && template.asText().isBlank())) {
            endpoint.templateResponse(template);
        }
        return endpoint.build();
    }

    private static JsonNode parsedOrText(JsonNode text) {
        String t = text.asText().strip();
        if (t.startsWith("{") || t.startsWith("[")) {
            try {
                return MAPPER.readTree(t);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                return text;
            }
        }
        return text;
    }

    /** ToolBench's parameter types, as JSON Schema types (NUMBER is a number: ToolBench's "integer" rejects 40.7). */
    static String jsonType(String toolBenchType) {
        String t = toolBenchType.toUpperCase(Locale.ROOT);
        if (t.equals("NUMBER") || t.equals("FLOAT") || t.equals("DOUBLE")) {
            return "number";
        }
        if (t.equals("INTEGER") || t.equals("INT")) {
            return "integer";
        }
        if (t.equals("BOOLEAN") || t.equals("BOOL")) {
            return "boolean";
        }
        if (t.equals("ARRAY") || t.equals("LIST")) {
            return "array";
        }
        if (t.equals("OBJECT")) {
            return "object";
        }
        return "string";
    }

    private static JsonNode typedDefault(JsonNode value, String type) {
        if (value == null || value.isNull() || (value.isTextual() && value.asText().isBlank())) {
            return null;
        }
        if (value.isTextual() && (type.equals("number") || type.equals("integer"))) {
            try {
                return DecimalNode.valueOf(new BigDecimal(value.asText().strip()));
            } catch (NumberFormatException e) {
                return value;
            }
        }
        if (type.equals("string") && !value.isTextual() && value.isValueNode()) {
            return TextNode.valueOf(value.asText());
        }
        return value;
    }

    /** Replaces the first whole path segment equal to {@code value}; part of a segment never matches. */
    private static String replaceSegment(String path, String value, String replacement) {
        String[] segments = path.split("/", -1);
        for (int i = 1; i < segments.length; i++) {
            if (segments[i].equals(value) || segments[i].equals(value.replace(" ", "%20"))) {
                segments[i] = replacement;
                return String.join("/", segments);
            }
        }
        return path;
    }

    private static String pathOf(String url) {
        try {
            String path = URI.create(url.strip().replace(" ", "%20")).getRawPath();
            return path == null || path.isEmpty() ? "/" : path;
        } catch (IllegalArgumentException e) {
            int slash = url.indexOf('/', url.indexOf("//") + 2);
            return slash < 0 ? "/" : url.substring(slash);
        }
    }

    private static String text(JsonNode node, String field, String fallback) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? fallback : v.asText();
    }
}
