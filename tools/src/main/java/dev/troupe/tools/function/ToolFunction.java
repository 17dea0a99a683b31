package dev.troupe.tools.function;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableMap;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.troupe.tools.spec.ApiSpec;
import dev.troupe.tools.spec.Endpoint;
import dev.troupe.tools.spec.Param;
import java.util.Map;

/**
 * One endpoint as a function a model can call: its unique name, the JSON Schema of its arguments,
 * the LangChain4j {@link ToolSpecification}, and which parameter each argument fills.
 *
 * @param name unique function name within its {@link ToolFunctions}
 * @param toolKey the tool's unique normalised name (the virtual server routes on it)
 * @param tool the API the endpoint belongs to
 * @param endpoint the endpoint the function calls
 * @param arguments function argument name → the parameter it fills, in spec order
 * @param parametersSchema JSON Schema of the arguments object; a private copy
 * @param specification what a LangChain4j chat model is given
 */
public record ToolFunction(String name, String toolKey, ApiSpec tool, Endpoint endpoint, Map<String, Param> arguments,
        ObjectNode parametersSchema, ToolSpecification specification) {

    public ToolFunction {
        arguments = ImmutableMap.copyOf(arguments);
        parametersSchema = parametersSchema.deepCopy();
    }

    @Override
    public ObjectNode parametersSchema() {
        return parametersSchema.deepCopy();
    }

    /**
     * The function of one endpoint, under a name and tool key allocated elsewhere (a catalog keeps them
     * from import to import); everything else — arguments, schema, specification — is derived here.
     */
    public static ToolFunction of(String name, String toolKey, ApiSpec tool, Endpoint endpoint) {
        return ToolFunctions.function(name, toolKey, tool, endpoint);
    }

    /** The description the model reads (ToolBench's wording, so ToolBench-tuned models feel at home). */
    public String description() {
        return specification.description();
    }
}
