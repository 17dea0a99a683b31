package dev.troupe.tools.spec;

import static com.google.common.base.Preconditions.checkArgument;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One parameter of an endpoint: its wire name, where it travels, whether it is required, and a JSON
 * Schema of its value (type, enum, default, format, items…), built with {@link #builder}.
 *
 * @param name the name on the wire (path placeholder, query key, header or body property)
 * @param location where the value travels
 * @param required whether a call must supply it
 * @param description what it means, as the spec says it; may be empty
 * @param schema JSON Schema of the value; a private copy, so callers get copies too
 */
public record Param(String name, ParamLocation location, boolean required, String description, ObjectNode schema) {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    public Param {
        checkArgument(name != null && !name.isEmpty(), "a parameter needs a name");
        Objects.requireNonNull(location, "location");
        description = description == null ? "" : description;
        // Path parameters are part of the URL, so a call without one cannot be built at all.
        required = required || location == ParamLocation.PATH;
        schema = schema == null ? NODES.objectNode().put("type", "string") : schema.deepCopy();
        if (!schema.has("type") && !schema.has("anyOf") && !schema.has("oneOf") && !schema.has("allOf")) {
            schema.put("type", "string");
        }
    }

    @Override
    public ObjectNode schema() {
        return schema.deepCopy();
    }

    /** The JSON Schema type of the value ({@code string} when the schema combines several). */
    public String type() {
        return schema.path("type").asText("string");
    }

    public Optional<JsonNode> defaultValue() {
        return Optional.ofNullable(schema.get("default")).map(JsonNode::deepCopy);
    }

    /** The allowed values, as text; empty when any value of the type is allowed. */
    public List<String> enumValues() {
        JsonNode values = schema.get("enum");
        if (values == null || !values.isArray()) {
            return List.of();
        }
        ImmutableList.Builder<String> out = ImmutableList.builder();
        values.forEach(v -> out.add(v.asText()));
        return out.build();
    }

    public static Builder builder(String name, ParamLocation location) {
        return new Builder(name, location);
    }

    /** Builds a {@link Param}; type, default and enum are written into its schema. */
    public static final class Builder {
        private final String name;
        private final ParamLocation location;
        private boolean required;
        private String description = "";
        private ObjectNode schema = NODES.objectNode();

        private Builder(String name, ParamLocation location) {
            this.name = name;
            this.location = location;
        }

        public Builder required(boolean required) {
            this.required = required;
            return this;
        }

        public Builder description(String description) {
            this.description = description == null ? "" : description;
            return this;
        }

        /** Starts from a full JSON Schema of the value (OpenAPI imports); later calls refine it. */
        public Builder schema(ObjectNode schema) {
            this.schema = schema.deepCopy();
            return this;
        }

        public Builder type(String type) {
            schema.put("type", type);
            return this;
        }

        public Builder format(String format) {
            schema.put("format", format);
            return this;
        }

        public Builder defaultValue(JsonNode value) {
            if (value != null && !value.isNull() && !value.isMissingNode()) {
                schema.set("default", value.deepCopy());
            }
            return this;
        }

        public Builder enumValues(List<String> values) {
            if (!values.isEmpty()) {
                ArrayNode array = schema.putArray("enum");
                values.forEach(array::add);
            }
            return this;
        }

        public Param build() {
            return new Param(name, location, required, description, schema);
        }
    }
}
