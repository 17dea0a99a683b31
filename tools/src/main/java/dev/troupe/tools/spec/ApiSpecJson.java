package dev.troupe.tools.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/** Writes an {@link ApiSpec} as JSON and reads it back losslessly; the catalog stores specs this way. */
public final class ApiSpecJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ApiSpecJson() {
    }

    public static ObjectNode toJson(ApiSpec spec) {
        ObjectNode out = MAPPER.createObjectNode();
        out.put("name", spec.name());
        out.put("description", spec.description());
        out.put("category", spec.category());
        spec.baseUrl().ifPresent(u -> out.put("baseUrl", u));
        out.putObject("auth").put("scheme", spec.auth().scheme().name()).put("parameter", spec.auth().parameterName());
        ObjectNode headers = out.putObject("headers");
        spec.headers().forEach(headers::put);
        out.put("source", spec.source());
        ArrayNode endpoints = out.putArray("endpoints");
        spec.endpoints().forEach(e -> endpoints.add(toJson(e)));
        return out;
    }

    /** One endpoint, as it appears in a spec's {@code endpoints} list. */
    public static ObjectNode toJson(Endpoint e) {
        ObjectNode en = MAPPER.createObjectNode();
        en.put("name", e.name()).put("method", e.method()).put("path", e.path()).put("description", e.description());
        ArrayNode params = en.putArray("params");
        for (Param p : e.params()) {
            params.addObject().put("name", p.name()).put("in", p.location().name()).put("required", p.required())
                    .put("description", p.description()).set("schema", p.schema());
        }
        e.requestBody().ifPresent(b -> en.putObject("requestBody").put("mediaType", b.mediaType())
                .put("required", b.required()).set("schema", b.schema()));
        e.responseSchema().ifPresent(s -> en.set("responseSchema", s));
        e.templateResponse().ifPresent(t -> en.set("templateResponse", t));
        return en;
    }

    public static ApiSpec fromJson(JsonNode json) {
        ApiSpec.Builder b = ApiSpec.builder(json.path("name").asText())
                .description(json.path("description").asText(""))
                .category(json.path("category").asText(""))
                .baseUrl(json.path("baseUrl").asText(null))
                .auth(new AuthSpec(AuthScheme.valueOf(json.path("auth").path("scheme").asText("NONE")),
                        json.path("auth").path("parameter").asText("")))
                .source(json.path("source").asText(""));
        for (Iterator<Map.Entry<String, JsonNode>> it = json.path("headers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> h = it.next();
            b.header(h.getKey(), h.getValue().asText());
        }
        for (JsonNode en : json.path("endpoints")) {
            b.endpoint(endpointFromJson(en));
        }
        return b.build();
    }

    /** An endpoint written by {@link #toJson(Endpoint)}. */
    public static Endpoint endpointFromJson(JsonNode en) {
        Endpoint.Builder e = Endpoint.builder(en.path("name").asText()).method(en.path("method").asText("GET"))
                .path(en.path("path").asText("/")).description(en.path("description").asText(""));
        for (JsonNode p : en.path("params")) {
            e.param(new Param(p.path("name").asText(), ParamLocation.valueOf(p.path("in").asText("QUERY")),
                    p.path("required").asBoolean(), p.path("description").asText(""),
                    p.path("schema").isObject() ? (ObjectNode) p.path("schema") : null));
        }
        JsonNode body = en.get("requestBody");
        if (body != null) {
            e.requestBody(new RequestBody(body.path("mediaType").asText(), body.path("schema"), body.path("required").asBoolean()));
        }
        if (en.has("responseSchema")) {
            e.responseSchema(en.get("responseSchema"));
        }
        if (en.has("templateResponse")) {
            e.templateResponse(en.get("templateResponse"));
        }
        return e.build();
    }
}
