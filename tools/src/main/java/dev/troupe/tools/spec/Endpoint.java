package dev.troupe.tools.spec;

import static com.google.common.base.Preconditions.checkArgument;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One operation of an API — method, path template, parameters, body and answer shapes — built with
 * {@link #builder} and changed with {@link #toBuilder}.
 *
 * @param name the API's own name for it (ToolBench {@code api_name}, OpenAPI {@code operationId})
 * @param method HTTP method, upper case
 * @param path path template relative to the tool's base URL, with {@code {name}} placeholders
 * @param description what it does; may be empty
 * @param params parameters in spec order
 * @param requestBody the body it accepts, if any
 * @param responseSchema JSON Schema of a successful answer, if the spec gives one
 * @param templateResponse ToolBench's {@code template_response}: an example-shaped answer with type names as values
 */
public record Endpoint(String name, String method, String path, String description, List<Param> params,
        Optional<RequestBody> requestBody, Optional<JsonNode> responseSchema, Optional<JsonNode> templateResponse) {

    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");

    public Endpoint {
        checkArgument(name != null && !name.isBlank(), "an endpoint needs a name");
        method = Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT);
        checkArgument(METHODS.contains(method), "unsupported HTTP method '%s' for endpoint '%s'", method, name);
        path = path == null || path.isEmpty() ? "/" : path.startsWith("/") ? path : "/" + path;
        description = description == null ? "" : description;
        params = ImmutableList.copyOf(params);
        requestBody = Objects.requireNonNull(requestBody);
        responseSchema = responseSchema.map(JsonNode::deepCopy);
        templateResponse = templateResponse.map(JsonNode::deepCopy);
    }

    @Override
    public Optional<JsonNode> responseSchema() {
        return responseSchema.map(JsonNode::deepCopy);
    }

    @Override
    public Optional<JsonNode> templateResponse() {
        return templateResponse.map(JsonNode::deepCopy);
    }

    /** Whether repeating the call is harmless, so a failed attempt may be retried. */
    public boolean isIdempotent() {
        return switch (method) {
            case "GET", "HEAD", "OPTIONS", "PUT", "DELETE" -> true;
            default -> false;
        };
    }

    public static Builder builder(String name) {
        return new Builder().name(name);
    }

    public Builder toBuilder() {
        Builder b = new Builder().name(name).method(method).path(path).description(description);
        params.forEach(b::param);
        requestBody.ifPresent(b::requestBody);
        responseSchema.ifPresent(b::responseSchema);
        templateResponse.ifPresent(b::templateResponse);
        return b;
    }

    /** Builds an {@link Endpoint}; the method defaults to GET and the path to {@code /}. */
    public static final class Builder {
        private String name;
        private String method = "GET";
        private String path = "/";
        private String description = "";
        private final List<Param> params = new ArrayList<>();
        private RequestBody requestBody;
        private JsonNode responseSchema;
        private JsonNode templateResponse;

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder method(String method) {
            this.method = method;
            return this;
        }

        public Builder path(String path) {
            this.path = path;
            return this;
        }

        public Builder description(String description) {
            this.description = description;
            return this;
        }

        public Builder param(Param param) {
            params.add(param);
            return this;
        }

        public Builder params(List<Param> params) {
            this.params.clear();
            this.params.addAll(params);
            return this;
        }

        public Builder requestBody(RequestBody body) {
            this.requestBody = body;
            return this;
        }

        public Builder responseSchema(JsonNode schema) {
            this.responseSchema = schema;
            return this;
        }

        public Builder templateResponse(JsonNode template) {
            this.templateResponse = template;
            return this;
        }

        public Endpoint build() {
            return new Endpoint(name, method, path, description, params, Optional.ofNullable(requestBody),
                    Optional.ofNullable(responseSchema), Optional.ofNullable(templateResponse));
        }
    }
}
