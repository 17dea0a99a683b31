package dev.troupe.tools.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.tools.spec.ApiSpec;
import dev.troupe.tools.spec.AuthSpec;
import dev.troupe.tools.spec.Endpoint;
import dev.troupe.tools.spec.Param;
import dev.troupe.tools.spec.ParamLocation;
import dev.troupe.tools.spec.RequestBody;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.converter.SwaggerConverter;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Reads OpenAPI 3.x and Swagger 2.0 documents (JSON or YAML) through swagger-parser into an
 * {@link ApiSpec}: one endpoint per operation, parameters with their location, JSON request bodies
 * flattened into body parameters, the first success response's schema, and the first security scheme.
 */
public final class OpenApiImporter {
    /** Long descriptions (whole Markdown manuals) cost prompt and index space without helping retrieval. */
    private static final int MAX_DESCRIPTION = 1_000;
    private static final int MAX_SCHEMA_DEPTH = 6;
    /** Argument schemas are what a model reads; response schemas only shape virtual answers, so they get less room. */
    private static final int MAX_ARGUMENT_SCHEMA_NODES = 400;
    private static final int MAX_RESPONSE_SCHEMA_NODES = 150;
    /** Component schemas kept converted at once; enough for the references of neighbouring operations. */
    private static final int COMPONENT_CACHE = 512;

    private OpenApiImporter() {
    }

    static boolean isOpenApi(JsonNode root) {
        return root.isObject() && (root.has("openapi") || root.has("swagger"));
    }

    /**
     * Parses one document and hands its header, then each endpoint, to {@code visitor} as it is converted,
     * so no whole spec is held (Microsoft Graph's beta document has more operations than a 2 GB heap holds
     * as converted endpoints). {@code root} is cleared once swagger-parser has read it. References are
     * resolved here, only within the document: swagger-parser's own resolver would fetch remote
     * {@code $ref}s over the network during an import.
     */
    static void stream(Path file, AtomicReference<JsonNode> root, SpecVisitor visitor) {
        ParseOptions options = new ParseOptions();
        options.setResolve(false);
        JsonNode document = root.getAndSet(null);
        SwaggerParseResult result;
        try {
            result = document.has("openapi")
                    ? new OpenAPIV3Parser().parseJsonNode(file.toString(), document, options)
                    : new SwaggerConverter().readContents(document.toString(), null, options);
        } catch (RuntimeException e) {
            // swagger-parser trusts the document's shape (a Swagger 2 schema without a type, say) and can fail inside.
            throw new IllegalArgumentException("swagger-parser failed on this " + (document.has("openapi") ? "OpenAPI" : "Swagger 2")
                    + " document (" + e + "); check it against the specification, e.g. with an OpenAPI validator", e);
        }
        document = null;
        OpenAPI api = result == null ? null : result.getOpenAPI();
        if (api == null) {
            List<String> messages = result == null || result.getMessages() == null ? List.of() : result.getMessages();
            throw new IllegalArgumentException("swagger-parser could not read it"
                    + (messages.isEmpty() ? "" : ": " + String.join("; ", messages.subList(0, Math.min(3, messages.size())))));
        }
        if (api.getPaths() == null || api.getPaths().isEmpty()) {
            throw new IllegalArgumentException("the document has no paths, so there is nothing to call");
        }
        ObjectMapper mapper = api.getSpecVersion() == SpecVersion.V31 ? Json31.mapper() : Json.mapper();
        Map<String, Schema> schemas = api.getComponents() == null || api.getComponents().getSchemas() == null
                ? Map.of() : api.getComponents().getSchemas();
        // Components become trees on demand, the recently used ones cached: converting all of a large
        // document's thousands of schemas up front would double its footprint.
        Map<String, JsonNode> converted = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, JsonNode> eldest) {
                return size() > COMPONENT_CACHE;
            }
        };
        Function<String, JsonNode> components = name -> {
            Schema<?> schema = schemas.get(name);
            return schema == null ? null : converted.computeIfAbsent(name, n -> mapper.valueToTree(schema));
        };
        Reader reader = new Reader(api, mapper, new SchemaInliner(components, MAX_SCHEMA_DEPTH, MAX_ARGUMENT_SCHEMA_NODES, false),
                new SchemaInliner(components, MAX_SCHEMA_DEPTH - 1, MAX_RESPONSE_SCHEMA_NODES, true));

        String title = api.getInfo() == null || blank(api.getInfo().getTitle())
                ? stripExtension(file.getFileName().toString()) : api.getInfo().getTitle().strip();
        ApiSpec.Builder spec = ApiSpec.builder(title)
                .description(api.getInfo() == null ? "" : shorten(api.getInfo().getDescription()))
                .category(category(api))
                .auth(reader.auth())
                .source(file.toString());
        String serverPath = "";
        Optional<String> server = serverUrl(api);
        if (server.isPresent() && server.get().matches("(?i)https?://.*")) {
            spec.baseUrl(server.get());
        } else if (server.isPresent()) {
            // A relative server URL ("/v2") is a path prefix; the base URL comes from config or the virtual server.
            serverPath = server.get().replaceAll("/+$", "");
        }
        visitor.spec(spec.build());
        Set<String> names = new HashSet<>();
        for (Map.Entry<String, PathItem> path : api.getPaths().entrySet()) {
            PathItem item = path.getValue();
            if (item == null || item.readOperationsMap() == null) {
                continue;
            }
            for (Map.Entry<PathItem.HttpMethod, Operation> op : item.readOperationsMap().entrySet()) {
                String method = op.getKey().name();
                String where = method + " " + path.getKey();
                Endpoint endpoint;
                try {
                    endpoint = reader.endpoint(serverPath + path.getKey(), method, item, op.getValue());
                } catch (RuntimeException e) {
                    visitor.skipped(new SkippedSpec(file.toString(), "operation " + where + " left out: " + e.getMessage()));
                    continue;
                }
                String unique = endpoint.name();
                for (int n = 2; !names.add(unique); n++) {
                    unique = endpoint.name() + "_" + n;
                }
                visitor.endpoint(unique.equals(endpoint.name()) ? endpoint : endpoint.toBuilder().name(unique).build());
            }
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("no operation could be used");
        }
    }

    private static Optional<String> serverUrl(OpenAPI api) {
        if (api.getServers() == null || api.getServers().isEmpty()) {
            return Optional.empty();
        }
        Server server = api.getServers().get(0);
        String url = server.getUrl();
        if (blank(url)) {
            return Optional.empty();
        }
        if (server.getVariables() != null) {
            for (var v : server.getVariables().entrySet()) {
                if (v.getValue() != null && v.getValue().getDefault() != null) {
                    url = url.replace("{" + v.getKey() + "}", v.getValue().getDefault());
                }
            }
        }
        return url.equals("/") ? Optional.empty() : Optional.of(url);
    }

    private static String category(OpenAPI api) {
        if (api.getInfo() != null && api.getInfo().getExtensions() != null) {
            Object categories = api.getInfo().getExtensions().get("x-apisguru-categories");
            if (categories instanceof List<?> list && !list.isEmpty()) {
                return String.valueOf(list.get(0));
            }
        }
        return "";
    }

    static String shorten(String text) {
        if (text == null) {
            return "";
        }
        String s = text.strip();
        return s.length() <= MAX_DESCRIPTION ? s : s.substring(0, MAX_DESCRIPTION) + "…";
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String stripExtension(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }

    /** The per-document state: the parsed model, its mapper and the inliner for its components. */
    private record Reader(OpenAPI api, ObjectMapper mapper, SchemaInliner inliner, SchemaInliner responseInliner) {

        Endpoint endpoint(String path, String method, PathItem item, Operation op) {
            String name = !blank(op.getOperationId()) ? op.getOperationId().strip()
                    : !blank(op.getSummary()) ? op.getSummary().strip() : method.toLowerCase(Locale.ROOT) + " " + path;
            String description = join(op.getSummary(), op.getDescription());
            Endpoint.Builder endpoint = Endpoint.builder(name).method(method).path(path).description(shorten(description));
            // Operation parameters override path-level ones with the same name and location.
            Map<String, Param> params = new LinkedHashMap<>();
            for (List<Parameter> group : java.util.Arrays.asList(item.getParameters(), op.getParameters())) {
                if (group == null) {
                    continue;
                }
                for (Parameter p : group) {
                    Parameter resolved = resolveParameter(p);
                    if (resolved == null || blank(resolved.getName()) || "cookie".equalsIgnoreCase(resolved.getIn())) {
                        continue;
                    }
                    Param param = param(resolved);
                    params.put(param.location() + " " + param.name(), param);
                }
            }
            requestBody(op).ifPresent(body -> {
                JsonNode schema = body.schema();
                if (schema.path("properties").isObject() && !schema.path("properties").isEmpty()) {
                    // The properties live on as body parameters; the body keeps only their names, not a second copy.
                    ObjectNode outline = mapper.createObjectNode().put("type", "object");
                    ObjectNode names = outline.putObject("properties");
                    schema.path("properties").fieldNames().forEachRemaining(n -> names.putObject(n));
                    if (schema.has("required")) {
                        outline.set("required", schema.get("required"));
                    }
                    endpoint.requestBody(new RequestBody(body.mediaType(), outline, body.required()));
                    Set<String> required = new HashSet<>();
                    schema.path("required").forEach(r -> required.add(r.asText()));
                    schema.path("properties").fields().forEachRemaining(prop -> {
                        ObjectNode propSchema = prop.getValue().isObject() ? (ObjectNode) prop.getValue().deepCopy() : null;
                        String desc = propSchema == null ? "" : propSchema.path("description").asText("");
                        if (propSchema != null) {
                            propSchema.remove("description");
                        }
                        params.put("BODY " + prop.getKey(), new Param(prop.getKey(), ParamLocation.BODY,
                                required.contains(prop.getKey()), desc, propSchema));
                    });
                } else {
                    endpoint.requestBody(body);
                    ObjectNode whole = schema.isObject() ? (ObjectNode) schema.deepCopy() : null;
                    params.put("BODY body", new Param("body", ParamLocation.BODY, body.required(),
                            "The request body (" + body.mediaType() + ").", whole));
                }
            });
            endpoint.params(new ArrayList<>(params.values()));
            responseSchema(op).ifPresent(endpoint::responseSchema);
            return endpoint.build();
        }

        private Param param(Parameter p) {
            ObjectNode schema = null;
            Schema<?> s = p.getSchema();
            if (s == null && p.getContent() != null && !p.getContent().isEmpty()) {
                s = p.getContent().values().iterator().next().getSchema();
            }
            if (s != null) {
                JsonNode inlined = inliner.inline(mapper.valueToTree(s));
                if (inlined.isObject()) {
                    schema = (ObjectNode) inlined;
                    schema.remove("description");
                }
            }
            return new Param(p.getName(), ParamLocation.fromOpenApi(p.getIn()), Boolean.TRUE.equals(p.getRequired()),
                    p.getDescription(), schema);
        }

        private Parameter resolveParameter(Parameter p) {
            if (p == null || blank(p.get$ref())) {
                return p;
            }
            String name = p.get$ref().substring(p.get$ref().lastIndexOf('/') + 1);
            return api.getComponents() == null || api.getComponents().getParameters() == null
                    ? null : api.getComponents().getParameters().get(name);
        }

        private Optional<RequestBody> requestBody(Operation op) {
            io.swagger.v3.oas.models.parameters.RequestBody body = op.getRequestBody();
            if (body != null && !blank(body.get$ref())) {
                String name = body.get$ref().substring(body.get$ref().lastIndexOf('/') + 1);
                body = api.getComponents() == null || api.getComponents().getRequestBodies() == null
                        ? null : api.getComponents().getRequestBodies().get(name);
            }
            if (body == null || body.getContent() == null || body.getContent().isEmpty()) {
                return Optional.empty();
            }
            Map.Entry<String, MediaType> chosen = pickMediaType(body.getContent());
            JsonNode schema = chosen.getValue() == null || chosen.getValue().getSchema() == null
                    ? mapper.createObjectNode() : inliner.inline(mapper.valueToTree(chosen.getValue().getSchema()));
            return Optional.of(new RequestBody(chosen.getKey(), schema, Boolean.TRUE.equals(body.getRequired())));
        }

        private Optional<JsonNode> responseSchema(Operation op) {
            if (op.getResponses() == null) {
                return Optional.empty();
            }
            ApiResponse chosen = null;
            for (Map.Entry<String, ApiResponse> r : op.getResponses().entrySet()) {
                if (r.getKey().startsWith("2")) {
                    chosen = r.getValue();
                    break;
                }
            }
            if (chosen == null) {
                chosen = op.getResponses().get("default");
            }
            if (chosen != null && !blank(chosen.get$ref()) && api.getComponents() != null
                    && api.getComponents().getResponses() != null) {
                chosen = api.getComponents().getResponses().get(chosen.get$ref().substring(chosen.get$ref().lastIndexOf('/') + 1));
            }
            if (chosen == null || chosen.getContent() == null || chosen.getContent().isEmpty()) {
                return Optional.empty();
            }
            MediaType media = pickMediaType(chosen.getContent()).getValue();
            return media == null || media.getSchema() == null
                    ? Optional.empty() : Optional.of(responseInliner.inline(mapper.valueToTree(media.getSchema())));
        }

        /** JSON first, then forms, then whatever comes first: JSON is what the executor and the virtual server speak best. */
        private static Map.Entry<String, MediaType> pickMediaType(Content content) {
            for (String preferred : List.of("application/json", "+json", RequestBody.FORM, "multipart/form-data")) {
                for (Map.Entry<String, MediaType> e : content.entrySet()) {
                    if (e.getKey().toLowerCase(Locale.ROOT).contains(preferred)) {
                        return e;
                    }
                }
            }
            return content.entrySet().iterator().next();
        }

        AuthSpec auth() {
            Map<String, SecurityScheme> schemes = api.getComponents() == null || api.getComponents().getSecuritySchemes() == null
                    ? Map.of() : api.getComponents().getSecuritySchemes();
            if (schemes.isEmpty()) {
                return AuthSpec.none();
            }
            List<SecurityRequirement> requirements = new ArrayList<>();
            if (api.getSecurity() != null) {
                requirements.addAll(api.getSecurity());
            }
            api.getPaths().values().stream().filter(p -> p != null && p.readOperations() != null)
                    .flatMap(p -> p.readOperations().stream())
                    .filter(o -> o.getSecurity() != null).forEach(o -> requirements.addAll(o.getSecurity()));
            for (SecurityRequirement requirement : requirements) {
                for (String name : requirement.keySet()) {
                    Optional<AuthSpec> auth = auth(schemes.get(name));
                    if (auth.isPresent()) {
                        return auth.get();
                    }
                }
            }
            // No requirement names a scheme, but a single declared one is what the API means.
            return schemes.size() == 1 ? auth(schemes.values().iterator().next()).orElse(AuthSpec.none()) : AuthSpec.none();
        }

        private static Optional<AuthSpec> auth(SecurityScheme scheme) {
            if (scheme == null || scheme.getType() == null) {
                return Optional.empty();
            }
            return switch (scheme.getType()) {
                case APIKEY -> scheme.getIn() == SecurityScheme.In.HEADER && !blank(scheme.getName())
                        ? Optional.of(AuthSpec.apiKeyHeader(scheme.getName()))
                        : scheme.getIn() == SecurityScheme.In.QUERY && !blank(scheme.getName())
                        ? Optional.of(AuthSpec.apiKeyQuery(scheme.getName())) : Optional.empty();
                case HTTP -> "basic".equalsIgnoreCase(scheme.getScheme()) ? Optional.of(AuthSpec.basic())
                        : "bearer".equalsIgnoreCase(scheme.getScheme()) ? Optional.of(AuthSpec.bearer()) : Optional.empty();
                // OAuth flows end in a bearer token; obtaining it is the user's business, sending it is ours.
                case OAUTH2, OPENIDCONNECT -> Optional.of(AuthSpec.bearer());
                default -> Optional.empty();
            };
        }

        private static String join(String a, String b) {
            String first = a == null ? "" : a.strip();
            String second = b == null ? "" : b.strip();
            if (first.isEmpty() || second.startsWith(first)) {
                return second;
            }
            return second.isEmpty() ? first : first + (first.endsWith(".") ? " " : ". ") + second;
        }
    }
}
