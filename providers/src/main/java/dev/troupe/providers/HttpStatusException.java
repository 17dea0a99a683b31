package dev.troupe.providers;

import dev.langchain4j.exception.HttpException;
import dev.troupe.agents.model.internal.ResponseHeaders;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A non-2xx HTTP answer that keeps its response headers, so the gateway can honour {@code Retry-After}. */
public final class HttpStatusException extends HttpException implements ResponseHeaders {
    private final Map<String, List<String>> headers;

    /** The body becomes the message, as LangChain4j's own clients do, so provider error text shows up in errors. */
    public HttpStatusException(int statusCode, String body, Map<String, List<String>> headers) {
        super(statusCode, body);
        Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        this.headers = Collections.unmodifiableMap(copy);
    }

    @Override
    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** All response headers; names match case-insensitively. */
    public Map<String, List<String>> headers() {
        return headers;
    }
}
