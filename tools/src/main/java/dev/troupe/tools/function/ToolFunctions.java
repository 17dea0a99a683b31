package dev.troupe.tools.function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.troupe.tools.spec.ApiSpec;
import dev.troupe.tools.spec.Endpoint;
import dev.troupe.tools.spec.Param;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every endpoint of a list of specs as a {@link ToolFunction} with a unique, stable name (the same
 * specs in the same order always give the same names); look functions up by name or by endpoint.
 */
public final class ToolFunctions {
    /** ToolBench cuts API descriptions here; longer ones cost prompt tokens for little gain. */
    private static final int DESCRIPTION_MAX = 512;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final List<ToolFunction> functions;
    private final Map<String, ToolFunction> byName;
    private final Map<String, ToolFunction> byEndpoint;

    private ToolFunctions(List<ToolFunction> functions) {
        this.functions = ImmutableList.copyOf(functions);
        ImmutableMap.Builder<String, ToolFunction> names = ImmutableMap.builder();
        Map<String, ToolFunction> endpoints = new LinkedHashMap<>();
        for (ToolFunction f : functions) {
            names.put(f.name(), f);
            endpoints.putIfAbsent(endpointKey(f.toolKey(), f.endpoint().name()), f);
        }
        this.byName = names.build();
        this.byEndpoint = ImmutableMap.copyOf(endpoints);
    }

    public static ToolFunctions of(List<ApiSpec> specs) {
        FunctionNames.Allocator functionNames = new FunctionNames.Allocator();
        FunctionNames.Allocator toolKeys = new FunctionNames.Allocator(Integer.MAX_VALUE);
        ImmutableList.Builder<ToolFunction> out = ImmutableList.builder();
        for (ApiSpec spec : specs) {
            String toolKey = toolKeys.allocate(FunctionNames.standardize(spec.name(), "tool"));
            for (Endpoint endpoint : spec.endpoints()) {
                String name = functionNames.allocate(FunctionNames.functionName(endpoint.name(), spec.name()));
                out.add(function(name, toolKey, spec, endpoint));
            }
        }
        return new ToolFunctions(out.build());
    }

    /** Functions already named (a catalog stores them so); their names must be unique. */
    public static ToolFunctions from(List<ToolFunction> functions) {
        return new ToolFunctions(functions);
    }

    public List<ToolFunction> all() {
        return functions;
    }

    public int size() {
        return functions.size();
    }

    public Optional<ToolFunction> byName(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The function of a tool's endpoint, by the tool key and the endpoint's own name. */
    public Optional<ToolFunction> byEndpoint(String toolKey, String endpointName) {
        return Optional.ofNullable(byEndpoint.get(endpointKey(toolKey, endpointName)));
    }

    public List<ToolSpecification> specifications() {
        return functions.stream().map(ToolFunction::specification).toList();
    }

    private static String endpointKey(String toolKey, String endpointName) {
        return toolKey + "\u0000" + endpointName;
    }

    static ToolFunction function(String name, String toolKey, ApiSpec spec, Endpoint endpoint) {
        Map<String, Param> arguments = new LinkedHashMap<>();
        Set<String> taken = new HashSet<>();
        ObjectNode schema = NODES.objectNode().put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        ArrayNode required = NODES.arrayNode();
        for (Param param : endpoint.params()) {
            String argument = FunctionNames.argumentName(param.name());
            // Two parameters may normalise alike (a path "id" and a body "ID"): the later one gets a suffix.
            for (int n = 2; !taken.add(argument); n++) {
                argument = FunctionNames.argumentName(param.name()) + "_" + n;
            }
            arguments.put(argument, param);
            properties.set(argument, argumentSchema(param));
            if (param.required()) {
                required.add(argument);
            }
        }
        if (!required.isEmpty()) {
            schema.set("required", required);
        }
        // Unknown arguments are mistakes a model can fix once told, not something to forward silently.
        schema.put("additionalProperties", false);
        ToolSpecification specification = ToolSpecification.builder()
                .name(name)
                .description(description(name, spec, endpoint))
                .parameters(JsonSchemaElements.object(schema))
                .build();
        return new ToolFunction(name, toolKey, spec, endpoint, arguments, schema, specification);
    }

    private static ObjectNode argumentSchema(Param param) {
        ObjectNode schema = param.schema();
        StringBuilder text = new StringBuilder(param.description().strip());
        JsonNode defaultValue = schema.get("default");
        if (defaultValue != null) {
            // Chat-model tool schemas drop "default", so the model only sees it in the description.
            text.append(text.isEmpty() ? "" : " ").append("Default: ")
                    .append(defaultValue.isTextual() ? defaultValue.asText() : defaultValue.toString()).append('.');
        }
        if (!text.isEmpty()) {
            schema.put("description", text.toString());
        }
        return schema;
    }

    private static String description(String name, ApiSpec spec, Endpoint endpoint) {
        String text = "This is the subfunction for tool \"" + spec.name() + "\", you can use this tool.";
        String own = endpoint.description().strip();
        if (!own.isEmpty()) {
            String shortened = own.replace(endpoint.name(), name);
            shortened = shortened.length() > DESCRIPTION_MAX ? shortened.substring(0, DESCRIPTION_MAX) : shortened;
            text += " The description of this function is: \"" + shortened + "\"";
        }
        return text;
    }
}
