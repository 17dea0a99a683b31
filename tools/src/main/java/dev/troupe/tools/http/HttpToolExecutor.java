package dev.troupe.tools.http;

import static com.google.common.base.Preconditions.checkArgument;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.net.UrlEscapers;
import dev.troupe.tools.egress.EgressDeniedException;
import dev.troupe.tools.egress.EgressDns;
import dev.troupe.tools.egress.EgressInterceptor;
import dev.troupe.tools.egress.EgressPolicy;
import dev.troupe.tools.function.ArgumentValidator;
import dev.troupe.tools.function.ToolFunction;
import dev.troupe.tools.function.ToolFunctions;
import dev.troupe.tools.spec.AuthScheme;
import dev.troupe.tools.spec.AuthSpec;
import dev.troupe.tools.spec.Endpoint;
import dev.troupe.tools.spec.Param;
import dev.troupe.tools.text.EditDistance;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.Proxy;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import okhttp3.Dns;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls the HTTP API behind a {@link ToolFunction} and turns whatever happens — an answer, a 4xx, a
 * 429, a timeout, a refused destination, a model's bad arguments — into an {@link Observation} the model
 * can act on. Credentials go on the wire and nowhere else; every destination passes the {@link EgressPolicy}.
 */
public final class HttpToolExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(HttpToolExecutor.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    private static final ObjectReader STRICT = MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final ToolFunctions functions;
    private final OkHttpClient client;
    private final EgressPolicy egress;
    private final Credentials credentials;
    private final Function<ToolFunction, Optional<HttpUrl>> baseUrls;
    private final ArgumentValidator validator = new ArgumentValidator();
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxRetryAfter;
    private final long maxResponseBytes;
    private final int maxObservationChars;
    private final int maxRedirects;
    private final Sleeper sleeper;
    private final Consumer<Observation> onObservation;

    /** Waits between attempts; tests pass one that records instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private HttpToolExecutor(Builder b) {
        this.functions = b.functions;
        this.egress = b.egress;
        this.credentials = b.credentials;
        this.baseUrls = b.baseUrls;
        this.maxAttempts = b.maxAttempts;
        this.initialBackoff = b.initialBackoff;
        this.maxRetryAfter = b.maxRetryAfter;
        this.maxResponseBytes = b.maxResponseBytes;
        this.maxObservationChars = b.maxObservationChars;
        this.maxRedirects = b.maxRedirects;
        this.sleeper = b.sleeper;
        this.onObservation = b.onObservation;
        // Redirects are followed here, not by OkHttp, so each hop is checked and credentials stay with their origin.
        // NO_PROXY: through a proxy, Dns would resolve the proxy and the policy would judge the wrong address.
        this.client = b.client.newBuilder()
                .dns(new EgressDns(b.dns, egress))
                .addNetworkInterceptor(new EgressInterceptor(egress))
                .proxy(Proxy.NO_PROXY)
                .followRedirects(false)
                .followSslRedirects(false)
                .retryOnConnectionFailure(false)
                .connectTimeout(b.connectTimeout)
                .readTimeout(b.readTimeout)
                .writeTimeout(b.readTimeout)
                .callTimeout(b.callTimeout)
                .build();
    }

    public static Builder builder(ToolFunctions functions) {
        return new Builder(functions);
    }

    public ToolFunctions functions() {
        return functions;
    }

    /**
     * Calls a function with the model's JSON arguments. Never throws for anything a model or an API
     * can cause; the observation says what happened and what to try next.
     */
    public Observation execute(String functionName, String argumentsJson) {
        long start = System.nanoTime();
        Optional<ToolFunction> found = functions.byName(functionName);
        if (found.isEmpty()) {
            return observation(functionName, ObservationKind.UNKNOWN_FUNCTION, unknownFunction(functionName), null, 0, false, 0, start);
        }
        ToolFunction function = found.get();
        ArgumentValidator.Result arguments = validator.validate(function, argumentsJson);
        if (!arguments.valid()) {
            return observation(functionName, ObservationKind.BAD_ARGUMENTS, badArguments(function, arguments.problems()), null, 0, false, 0, start);
        }
        Optional<HttpUrl> base = baseUrls.apply(function);
        if (base.isEmpty()) {
            return observation(functionName, ObservationKind.NOT_CONFIGURED, "tool '" + function.tool().name()
                    + "' has no base URL, so it cannot be called; this is a configuration problem, not something to retry",
                    null, 0, false, 0, start);
        }
        Redactor redactor = new Redactor();
        Request request;
        try {
            request = buildRequest(function, base.get(), arguments.arguments());
        } catch (IllegalArgumentException e) {
            return observation(functionName, ObservationKind.BAD_ARGUMENTS, "invalid arguments for " + functionName + ": "
                    + e.getMessage(), null, 0, false, 0, start);
        }
        Auth auth = auth(function, redactor);
        return send(function, request, auth, redactor, start);
    }

    /** The attempt loop: redirects inside each attempt, bounded retries of idempotent calls around it. */
    private Observation send(ToolFunction function, Request request, Auth auth, Redactor redactor, long start) {
        String name = function.name();
        boolean idempotent = function.endpoint().isIdempotent();
        for (int attempt = 1; ; attempt++) {
            try (Response response = followRedirects(request, auth, redactor, attempt)) {
                int code = response.code();
                boolean retriable = code == 429 || code == 500 || code == 502 || code == 503 || code == 504;
                if (retriable && idempotent && attempt < maxAttempts) {
                    Optional<Duration> wait = retryDelay(response, attempt);
                    if (wait.isPresent()) {
                        sleep(wait.get());
                        continue;
                    }
                }
                Body body = read(response.body());
                if (code < 300 && body.malformedJson()) {
                    // A cut or broken JSON answer is a transport fault in disguise: retried like one.
                    if (idempotent && attempt < maxAttempts) {
                        LOG.debug("{}: attempt {} got a malformed JSON body, retrying", name, attempt);
                        sleep(backoff(attempt));
                        continue;
                    }
                    return malformed(function, request, body, code, attempt, start, redactor);
                }
                return answer(function, request, response, body, redactor, attempt, start);
            } catch (EgressDeniedException e) {
                LOG.warn("{}: blocked by the egress policy: {}", name, redactor.scrub(e.getMessage()));
                return observation(name, ObservationKind.BLOCKED, "the call was blocked by the egress policy: "
                        + e.getMessage() + ". Use another function; this destination will not become reachable",
                        null, 0, false, attempt, start, redactor);
            } catch (IOException e) {
                boolean timeout = e instanceof InterruptedIOException;
                if (idempotent && attempt < maxAttempts) {
                    LOG.debug("{}: attempt {} failed ({}), retrying", name, attempt, redactor.scrub(String.valueOf(e)));
                    sleep(backoff(attempt));
                    continue;
                }
                String host = request.url().host();
                String text = timeout
                        ? "no answer from " + host + " within the timeout after " + attempt + " attempt(s); "
                        + (idempotent ? "try again later, with narrower arguments, or use another function"
                        : "the " + request.method() + " may have taken effect: check that before calling it again")
                        : "the connection to " + host + " failed (" + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ") after " + attempt + " attempt(s); "
                        + (idempotent ? "try again later, or use another function"
                        : "the " + request.method() + " may have taken effect: check that before calling it again");
                return observation(name, timeout ? ObservationKind.TIMEOUT : ObservationKind.TRANSPORT_ERROR, text,
                        null, 0, false, attempt, start, redactor);
            }
        }
    }

    private Response followRedirects(Request first, Auth auth, Redactor redactor, int attempt) throws IOException {
        Request current = first;
        for (int hop = 0; ; hop++) {
            egress.checkUrl(current.url());
            // Credentials go only to the origin they were given for; a redirect elsewhere goes without them.
            Request sent = sameOrigin(first.url(), current.url()) ? auth.apply(current) : current;
            long t0 = System.nanoTime();
            Response response = client.newCall(sent).execute();
            if (LOG.isDebugEnabled()) {
                LOG.debug("{} {} -> {} in {} ms (attempt {}, hop {})", sent.method(), redactor.scrub(sent.url().toString()),
                        response.code(), (System.nanoTime() - t0) / 1_000_000, attempt, hop);
            }
            String location = response.header("Location");
            if (!response.isRedirect() || location == null || hop >= maxRedirects) {
                return response;
            }
            HttpUrl next = current.url().resolve(location);
            response.close();
            if (next == null) {
                throw new EgressDeniedException("a redirect pointed to '" + redactor.scrub(location) + "', which is not an http(s) URL");
            }
            current = redirected(current, next, response.code());
        }
    }

    private static Request redirected(Request request, HttpUrl next, int code) {
        Request.Builder b = request.newBuilder().url(next);
        boolean toGet = code == 303 || ((code == 301 || code == 302) && !request.method().equals("GET") && !request.method().equals("HEAD"));
        if (toGet) {
            b.method("GET", null).removeHeader("Content-Type").removeHeader("Content-Length");
        }
        return b.build();
    }

    private static boolean sameOrigin(HttpUrl a, HttpUrl b) {
        return a.scheme().equals(b.scheme()) && a.host().equals(b.host()) && a.port() == b.port();
    }

    private Observation malformed(ToolFunction function, Request request, Body body, int code, int attempts, long start,
                                  Redactor redactor) {
        String where = request.method() + " " + request.url().encodedPath();
        String error = "the API answered HTTP " + code + " on " + where + ", but its JSON body is cut off or malformed after "
                + attempts + " attempt(s); its raw text is below. "
                + (function.endpoint().isIdempotent() ? "Try again later, or use another function"
                : "The " + request.method() + " may have taken effect: check that before calling it again");
        return observation(function.name(), ObservationKind.MALFORMED_RESPONSE, error, body, code, false, attempts, start, redactor);
    }

    private Observation answer(ToolFunction function, Request request, Response response, Body body, Redactor redactor,
                               int attempts, long start) {
        int code = response.code();
        ObservationKind kind = code < 400 ? ObservationKind.OK : code == 429 ? ObservationKind.RATE_LIMITED
                : code >= 500 ? ObservationKind.SERVER_ERROR : ObservationKind.CLIENT_ERROR;
        String where = request.method() + " " + request.url().encodedPath();
        String error = switch (kind) {
            case OK -> "";
            case RATE_LIMITED -> "rate limited (HTTP 429) by " + request.url().host()
                    + Optional.ofNullable(response.header("Retry-After")).map(r -> "; it asks to retry after " + r + (r.matches("\\d+") ? " s" : ""))
                    .orElse("") + ". Wait, or use another function";
            case SERVER_ERROR -> "the API failed (HTTP " + code + ") on " + where + " after " + attempts
                    + " attempt(s); try again later or use another function";
            default -> "HTTP " + code + " on " + where + ": " + clientErrorAdvice(function, code);
        };
        return observation(function.name(), kind, error, body, code, body.truncated, attempts, start, redactor);
    }

    private static String clientErrorAdvice(ToolFunction function, int code) {
        return switch (code) {
            case 400, 422 -> "the API rejected the arguments; read its message below and call again with corrected values";
            case 401, 403 -> "the API refused the credential. The model cannot fix this: a user must set "
                    + Credentials.environmentVariable(function.toolKey()) + " (or configure the tool's credential)";
            case 404 -> "nothing found there; check the identifiers you passed, or find them first with another function";
            case 405 -> "the API does not allow this method here; use another function";
            case 408 -> "the API timed out waiting for the request; try again";
            case 413 -> "the request is too large; send less";
            default -> "the API refused the call; read its message below";
        };
    }

    private Body read(ResponseBody body) throws IOException {
        if (body == null) {
            return new Body("", false, false);
        }
        BufferedSource source = body.source();
        Buffer buffer = new Buffer();
        // Read at most the cap: a huge or endless answer must not fill the heap.
        while (buffer.size() < maxResponseBytes) {
            if (source.read(buffer, maxResponseBytes - buffer.size()) == -1) {
                break;
            }
        }
        boolean truncated = buffer.size() >= maxResponseBytes && !source.exhausted();
        MediaType type = body.contentType();
        Charset charset = type == null ? StandardCharsets.UTF_8 : type.charset(StandardCharsets.UTF_8);
        boolean json = type != null && type.subtype().contains("json");
        return new Body(buffer.readString(charset), truncated, json);
    }

    private record Body(String text, boolean truncated, boolean json) {
        /** Declared JSON, read whole, not empty, and yet not one JSON value. */
        boolean malformedJson() {
            if (!json || truncated || text.isBlank()) {
                return false;
            }
            try {
                STRICT.readTree(text);
                return false;
            } catch (JsonProcessingException e) {
                return true;
            }
        }
    }

    private Observation observation(String function, ObservationKind kind, String error, Body body, int status,
            boolean truncated, int attempts, long start) {
        return observation(function, kind, error, body, status, truncated, attempts, start, new Redactor());
    }

    /**
     * Renders ToolBench's observation shape within the character cap, then scrubs secrets from the whole
     * text (a server may echo a key back in its answer).
     */
    private Observation observation(String function, ObservationKind kind, String error, Body body, int status,
            boolean truncated, int attempts, long start, Redactor redactor) {
        String responseText = body == null ? "" : redactor.scrub(body.text());
        String cleanError = redactor.scrub(error);
        boolean cut = truncated;
        ObjectNode out = MAPPER.createObjectNode().put("error", cleanError);
        JsonNode parsed = body != null && !body.truncated() ? parseJson(responseText) : null;
        if (parsed != null) {
            out.set("response", parsed);
        } else {
            out.put("response", responseText);
        }
        String text = out.toString();
        if (text.length() > maxObservationChars) {
            // Cut the response, never the error: the error is what the model needs to act.
            int overhead = MAPPER.createObjectNode().put("error", cleanError).put("response", "").toString().length() + 80;
            int room = Math.max(0, maxObservationChars - overhead);
            String flat = parsed != null ? parsed.toString() : responseText;
            // JSON escaping makes the rendered text longer than the cut, so shrink until it fits.
            for (int attempt = 0; attempt < 8; attempt++) {
                String shown = flat.substring(0, Math.min(room, flat.length()));
                out.put("response", shown + " …[truncated: " + shown.length() + " of " + flat.length() + " characters shown]");
                text = out.toString();
                if (text.length() <= maxObservationChars || room == 0) {
                    break;
                }
                room = Math.max(0, room - (text.length() - maxObservationChars) - 8);
            }
            if (text.length() > maxObservationChars) {
                text = text.substring(0, maxObservationChars);
            }
            cut = true;
        } else if (body != null && body.truncated()) {
            out.put("response", responseText + " …[truncated: the answer exceeded " + maxResponseBytes + " bytes]");
            text = out.toString();
        }
        Observation o = new Observation(function, kind, redactor.scrub(text), status, cut, attempts,
                Duration.ofNanos(System.nanoTime() - start));
        try {
            onObservation.accept(o);
        } catch (RuntimeException e) {
            LOG.warn("an observation listener failed on {}: {}", function, e.toString());
        }
        return o;
    }

    private static JsonNode parseJson(String text) {
        String t = text.strip();
        if (t.isEmpty() || (t.charAt(0) != '{' && t.charAt(0) != '[')) {
            return null;
        }
        try {
            return MAPPER.readTree(t);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private Request buildRequest(ToolFunction function, HttpUrl base, ObjectNode arguments) {
        Endpoint endpoint = function.endpoint();
        String path = endpoint.path();
        Map<String, JsonNode> bodyValues = new java.util.LinkedHashMap<>();
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

    /** The credential of a call, resolved once and applied to each same-origin hop. */
    private record Auth(AuthSpec spec, Optional<Credential> credential) {
        Request apply(Request request) {
            if (credential.isEmpty() || spec.scheme() == AuthScheme.NONE) {
                return request;
            }
            Request.Builder b = request.newBuilder();
            switch (credential.get()) {
                case Credential.Token token -> {
                    String value = token.value().reveal();
                    switch (spec.scheme()) {
                        case API_KEY_HEADER -> b.header(spec.parameterName(), value);
                        case API_KEY_QUERY -> b.url(request.url().newBuilder().setQueryParameter(spec.parameterName(), value).build());
                        case BEARER -> b.header("Authorization", "Bearer " + value);
                        case BASIC -> b.header("Authorization", okhttp3.Credentials.basic("", value));
                        case NONE -> {
                        }
                    }
                }
                case Credential.UserPassword basic ->
                        b.header("Authorization", okhttp3.Credentials.basic(basic.user(), basic.password().reveal()));
            }
            return b.build();
        }
    }

    private Auth auth(ToolFunction function, Redactor redactor) {
        AuthSpec spec = credentials.authOverride(function.toolKey()).orElse(function.tool().auth());
        Optional<Credential> credential = spec.scheme() == AuthScheme.NONE ? Optional.empty() : credentials.lookup(function.toolKey());
        credential.ifPresent(c -> {
            switch (c) {
                case Credential.Token token -> {
                    redactor.add(token.value().reveal());
                    redactor.addBasic("", token.value().reveal());
                }
                case Credential.UserPassword basic -> redactor.addBasic(basic.user(), basic.password().reveal());
            }
        });
        return new Auth(spec, credential);
    }

    private Optional<Duration> retryDelay(Response response, int attempt) {
        String header = response.header("Retry-After");
        if (header == null) {
            return Optional.of(backoff(attempt));
        }
        Duration wanted;
        try {
            wanted = header.strip().matches("\\d+") ? Duration.ofSeconds(Long.parseLong(header.strip()))
                    : Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(header.strip(), DateTimeFormatter.RFC_1123_DATE_TIME));
        } catch (DateTimeParseException | ArithmeticException e) {
            return Optional.of(backoff(attempt));
        }
        // Waiting longer than the bound would stall the whole plan; the observation reports the wait instead.
        return wanted.compareTo(maxRetryAfter) > 0 ? Optional.empty() : Optional.of(wanted.isNegative() ? Duration.ZERO : wanted);
    }

    private Duration backoff(int attempt) {
        long base = initialBackoff.toMillis() << Math.min(attempt - 1, 10);
        long jittered = base + ThreadLocalRandom.current().nextLong(base / 4 + 1);
        return Duration.ofMillis(Math.min(jittered, maxRetryAfter.toMillis()));
    }

    private void sleep(Duration duration) {
        try {
            sleeper.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String unknownFunction(String name) {
        List<String> nearest = functions.all().stream().map(ToolFunction::name)
                .sorted(Comparator.comparingInt(n -> EditDistance.between(n, name == null ? "" : name))).limit(5).toList();
        return "there is no function named '" + name + "'" + (nearest.isEmpty() ? "" : "; the closest are: " + String.join(", ", nearest))
                + ". Call one of the functions you were given, spelled exactly";
    }

    private static String badArguments(ToolFunction function, List<String> problems) {
        StringBuilder text = new StringBuilder("invalid arguments for ").append(function.name()).append(": ")
                .append(String.join("; ", problems)).append(". Its parameters: ");
        if (function.arguments().isEmpty()) {
            text.append("none");
        }
        List<String> described = new ArrayList<>();
        function.arguments().forEach((argument, param) -> described.add(argument + " (" + param.type()
                + (param.required() ? ", required" : "") + (param.enumValues().isEmpty() ? "" : ", one of " + param.enumValues()) + ")"));
        return text.append(String.join(", ", described)).toString();
    }


    @Override
    public String toString() {
        return "HttpToolExecutor{functions=" + functions.size() + ", egress=" + egress + ", credentials=" + credentials + "}";
    }

    /** Builds an {@link HttpToolExecutor}; every limit has a default that suits a chat model's context. */
    public static final class Builder {
        private final ToolFunctions functions;
        private OkHttpClient client = new OkHttpClient();
        private Dns dns = Dns.SYSTEM;
        private EgressPolicy egress = EgressPolicy.defaults();
        private Credentials credentials = Credentials.none();
        private final Map<String, HttpUrl> baseUrlOverrides = new HashMap<>();
        private Function<ToolFunction, Optional<HttpUrl>> baseUrls;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(30);
        private Duration callTimeout = Duration.ofSeconds(60);
        private int maxAttempts = 3;
        private Duration initialBackoff = Duration.ofMillis(500);
        private Duration maxRetryAfter = Duration.ofSeconds(30);
        private long maxResponseBytes = 1 << 20;
        private int maxObservationChars = 4_000;
        private int maxRedirects = 5;
        private Sleeper sleeper = d -> Thread.sleep(d.toMillis());
        private Consumer<Observation> onObservation = o -> {
        };

        private Builder(ToolFunctions functions) {
            this.functions = functions;
        }

        /** A client to share connection pools with; its DNS, proxy, redirect and timeout settings are replaced. */
        public Builder client(OkHttpClient client) {
            this.client = client;
            return this;
        }

        /** The resolver under the egress check (tests inject one that answers a private address). */
        public Builder dns(Dns dns) {
            this.dns = dns;
            return this;
        }

        public Builder egressPolicy(EgressPolicy policy) {
            this.egress = policy;
            return this;
        }

        public Builder credentials(Credentials credentials) {
            this.credentials = credentials;
            return this;
        }

        /** Calls this tool (by tool key) at {@code baseUrl} instead of the spec's. */
        public Builder baseUrl(String toolKey, String baseUrl) {
            baseUrlOverrides.put(toolKey, HttpUrl.get(baseUrl));
            return this;
        }

        /** Decides every tool's base URL (the virtual API server routes all tools this way). */
        public Builder baseUrls(Function<ToolFunction, Optional<HttpUrl>> resolver) {
            this.baseUrls = resolver;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        public Builder readTimeout(Duration timeout) {
            this.readTimeout = timeout;
            return this;
        }

        /** The bound on one HTTP attempt from start to last byte. */
        public Builder callTimeout(Duration timeout) {
            this.callTimeout = timeout;
            return this;
        }

        /** Attempts per call, first included; only idempotent methods are retried. */
        public Builder maxAttempts(int attempts) {
            checkArgument(attempts >= 1, "maxAttempts must be at least 1, got %s", attempts);
            this.maxAttempts = attempts;
            return this;
        }

        public Builder initialBackoff(Duration backoff) {
            this.initialBackoff = backoff;
            return this;
        }

        /** The longest wait honoured from a Retry-After header (and the cap on backoff); longer asks are not waited for. */
        public Builder maxRetryAfter(Duration max) {
            this.maxRetryAfter = max;
            return this;
        }

        /** Bytes read from a response at most; the rest is never read. */
        public Builder maxResponseBytes(long bytes) {
            checkArgument(bytes > 0, "maxResponseBytes must be positive, got %s", bytes);
            this.maxResponseBytes = bytes;
            return this;
        }

        /** Characters of observation text given to the model at most. */
        public Builder maxObservationChars(int chars) {
            checkArgument(chars >= 200, "maxObservationChars must be at least 200 to hold an error, got %s", chars);
            this.maxObservationChars = chars;
            return this;
        }

        public Builder maxRedirects(int redirects) {
            this.maxRedirects = redirects;
            return this;
        }

        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = sleeper;
            return this;
        }

        /** Called with every observation before it is returned (for metrics); a listener that throws is logged and skipped. */
        public Builder onObservation(Consumer<Observation> listener) {
            this.onObservation = listener;
            return this;
        }

        public HttpToolExecutor build() {
            if (baseUrls == null) {
                Map<String, HttpUrl> overrides = Map.copyOf(baseUrlOverrides);
                baseUrls = f -> Optional.ofNullable(overrides.get(f.toolKey()))
                        .or(() -> f.tool().baseUrl().map(HttpUrl::parse));
            } else if (!baseUrlOverrides.isEmpty()) {
                Function<ToolFunction, Optional<HttpUrl>> resolver = baseUrls;
                Map<String, HttpUrl> overrides = Map.copyOf(baseUrlOverrides);
                baseUrls = f -> Optional.ofNullable(overrides.get(f.toolKey())).or(() -> resolver.apply(f));
            }
            return new HttpToolExecutor(this);
        }
    }
}
