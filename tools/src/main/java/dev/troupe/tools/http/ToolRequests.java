package dev.troupe.tools.http;

import static com.google.common.base.Preconditions.checkArgument;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.net.UrlEscapers;
import dev.troupe.tools.function.ToolFunction;
import dev.troupe.tools.spec.Endpoint;
import dev.troupe.tools.spec.Param;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

/** How a function's validated arguments become an HTTP request: each in the path, query, a header or the body, as its spec says. */
final class ToolRequests {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

    private ToolRequests() {}

    /** The request for {@code function} at {@code base}; {@link IllegalArgumentException} says which argument cannot be sent. */
    static Request build(ToolFunction function, HttpUrl base, ObjectNode arguments) {
        Endpoint endpoint = function.endpoint();
        String path = endpoint.path();
        Map<String, JsonNode> bodyValues = new LinkedHashMap<>();
        List<String[]> query = new ArrayList<>();
        Request.Builder request = new Request.Builder();
        function.tool().headers().forEach(request::header);
        for (Map.Entry<String, Param> a : function.arguments().entrySet()) {
            JsonNode value = arguments.get(a.getKey());
            Param param = a.getValue();
            if (value == null) {
                continue;
            }
            switch (param.location()) {
                case PATH -> {
                    String text = text(value);
                    checkArgument(!text.equals(".") && !text.equals(".."), "'%s' may not be '.' or '..'", a.getKey());
                    path = path.replace("{" + param.name() + "}", UrlEscapers.urlPathSegmentEscaper().escape(text));
                }
                case QUERY -> {
                    if (value.isArray()) {
                        value.forEach(v -> query.add(new String[] {param.name(), text(v)}));
                    } else {
                        query.add(new String[] {param.name(), text(value)});
                    }
                }
                case HEADER -> request.header(param.name(), text(value));
                case BODY -> bodyValues.put(param.name(), value);
            }
        }
        HttpUrl parsed = HttpUrl.parse(base.toString().replaceAll("/+$", "") + path);
        checkArgument(parsed != null, "the path %s does not form a valid URL", path);
        HttpUrl.Builder url = parsed.newBuilder();
        query.forEach(q -> url.addQueryParameter(q[0], q[1]));
        request.url(url.build());
        request.method(endpoint.method(), body(endpoint, bodyValues));
        return request.build();
    }

    private static RequestBody body(Endpoint endpoint, Map<String, JsonNode> values) {
        boolean needsBody = endpoint.method().equals("POST") || endpoint.method().equals("PUT") || endpoint.method().equals("PATCH");
        if (values.isEmpty() && !needsBody) {
            return null;
        }
        boolean form = endpoint.requestBody().map(dev.troupe.tools.spec.RequestBody::isForm).orElse(false);
        // A body whose schema is not an object of properties travels as the single "body" argument's value.
        boolean whole = endpoint.requestBody().map(b -> !b.schema().path("properties").isObject()).orElse(false)
                && values.size() == 1 && values.containsKey("body");
        if (form) {
            FormBody.Builder f = new FormBody.Builder();
            JsonNode fields = whole ? values.get("body") : MAPPER.valueToTree(values);
            fields.fields().forEachRemaining(e -> f.add(e.getKey(), text(e.getValue())));
            return f.build();
        }
        JsonNode json = whole ? values.get("body") : MAPPER.valueToTree(values);
        return RequestBody.create(json.toString(), JSON);
    }

    private static String text(JsonNode value) {
        return value.isValueNode() ? value.asText() : value.toString();
    }
}
