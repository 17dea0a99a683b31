package dev.troupe.agents.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.SpecVersionDetector;
import com.networknt.schema.ValidationMessage;
import dev.troupe.agents.error.ConfigurationException;
import java.util.Set;

/** A compiled JSON Schema for an action's output; validation returns readable error lines. */
public final class OutputSchema {
    private static final JsonSchemaFactory DEFAULT_FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    /** The 2020-12 meta-schema, bundled with the validator (nothing is fetched), catches typos such as "type": "strnig". */
    private static final JsonSchema META_SCHEMA = DEFAULT_FACTORY.getSchema(SchemaLocation.of(SchemaId.V202012));
    private final JsonNode node;
    private final JsonSchema schema;

    private OutputSchema(JsonNode node, JsonSchema schema) {
        this.node = node;
        this.schema = schema;
    }

    /** Compiles {@code node}; {@code where} names it in errors (e.g. "role Alice, action WritePRD"). */
    public static OutputSchema of(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new ConfigurationException("The output schema of " + where + " must be a JSON object (a JSON Schema)");
        }
        Set<ValidationMessage> metaErrors = META_SCHEMA.validate(node);
        if (!metaErrors.isEmpty()) {
            throw new ConfigurationException("The output schema of " + where + " is not a valid JSON Schema: "
                    + metaErrors.stream().map(ValidationMessage::getMessage).distinct().sorted().collect(java.util.stream.Collectors.joining("; ")));
        }
        try {
            JsonSchemaFactory factory = node.has("$schema")
                    ? JsonSchemaFactory.getInstance(SpecVersionDetector.detect(node)) : DEFAULT_FACTORY;
            JsonSchema schema = factory.getSchema(node);
            schema.initializeValidators();
            return new OutputSchema(node, schema);
        } catch (RuntimeException e) {
            throw new ConfigurationException("The output schema of " + where + " is not a valid JSON Schema: " + e.getMessage(), e);
        }
    }

    /** The schema as JSON, as the model is shown it. */
    public JsonNode node() {
        return node;
    }

    /** The validation errors of {@code value}; empty when it is valid. */
    public ImmutableList<String> validate(JsonNode value) {
        Set<ValidationMessage> errors = schema.validate(value);
        return errors.stream().map(ValidationMessage::getMessage).sorted().collect(ImmutableList.toImmutableList());
    }
}
