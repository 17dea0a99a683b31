package dev.troupe.tools.virtual;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.common.hash.Hashing;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.troupe.tools.error.ToolsException;
import dev.troupe.tools.function.ToolFunction;
import dev.troupe.tools.function.ToolFunctions;
import dev.troupe.tools.spec.Param;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP server on the loopback interface that answers every endpoint of a catalog offline, at
 * {@code http://127.0.0.1:<port>/<toolKey><path>}, with data shaped by the endpoint's
 * {@code template_response} or response schema — the same arguments always get the same answer — or a
 * scripted {@link Fixture}. Point an executor at it with {@link #baseUrls()} and allow-list {@link #host()}.
 */
public final class VirtualApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VirtualApiServer.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_BODY_BYTES = 1 << 20;

    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, List<Route>> routes;
    private final Fixtures fixtures;

    private record Route(String method, Pattern pattern, List<String> variables, ToolFunction function) {
    }

    private VirtualApiServer(ToolFunctions functions, Fixtures fixtures, int port) throws IOException {
        this.fixtures = fixtures;
        this.routes = routes(functions);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a server for these functions on a free loopback port. */
    public static VirtualApiServer start(ToolFunctions functions) {
        return start(functions, Fixtures.none(), 0);
    }

    public static VirtualApiServer start(ToolFunctions functions, Fixtures fixtures, int port) {
        try {
            return new VirtualApiServer(functions, fixtures, port);
        } catch (IOException e) {
            throw new ToolsException("the virtual API server could not listen on 127.0.0.1:" + port + " (" + e.getMessage()
                    + "); choose another port, or 0 for any free one", e);
        }
    }

    /** The loopback host the server listens on; allow-list it in the executor's egress policy. */
    public String host() {
        return server.getAddress().getAddress().getHostAddress();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Where one tool is served. */
    public HttpUrl baseUrl(ToolFunction function) {
        return new HttpUrl.Builder().scheme("http").host(host()).port(port()).addPathSegment(function.toolKey()).build();
    }

    /** Routes every tool to this server; hand it to {@code HttpToolExecutor.Builder.baseUrls}. */
    public java.util.function.Function<ToolFunction, Optional<HttpUrl>> baseUrls() {
        return f -> Optional.of(baseUrl(f));
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static Map<String, List<Route>> routes(ToolFunctions functions) {
        Map<String, List<Route>> out = new HashMap<>();
        for (ToolFunction f : functions.all()) {
            List<String> variables = new ArrayList<>();
            StringBuilder regex = new StringBuilder();
            Matcher m = Pattern.compile("\\{([^}/]+)}").matcher(f.endpoint().path());
            int last = 0;
            while (m.find()) {
                regex.append(Pattern.quote(f.endpoint().path().substring(last, m.start()))).append("([^/]+)");
                variables.add(m.group(1));
                last = m.end();
            }
            regex.append(Pattern.quote(f.endpoint().path().substring(last))).append("/?");
            out.computeIfAbsent(f.toolKey(), k -> new ArrayList<>())
                    .add(new Route(f.endpoint().method(), Pattern.compile(regex.toString()), variables, f));
        }
        return out;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String rawPath = exchange.getRequestURI().getRawPath();
            int slash = rawPath.indexOf('/', 1);
            String toolKey = slash < 0 ? rawPath.substring(1) : rawPath.substring(1, slash);
            String rest = slash < 0 ? "/" : rawPath.substring(slash);
            for (Route route : routes.getOrDefault(toolKey, List.of())) {
                Matcher m = route.pattern().matcher(rest);
                if (route.method().equals(exchange.getRequestMethod()) && m.matches()) {
                    serve(exchange, route, m);
                    return;
                }
            }
            respond(exchange, 404, MAPPER.createObjectNode().put("error", "no endpoint " + exchange.getRequestMethod() + " "
                    + rest + " in tool '" + toolKey + "' of this virtual catalog"));
        } catch (RuntimeException e) {
            LOG.warn("virtual API server failed on {}: {}", exchange.getRequestURI().getPath(), e.toString());
            respond(exchange, 500, MAPPER.createObjectNode().put("error", "virtual server error: " + e.getMessage()));
        }
    }

    private void serve(HttpExchange exchange, Route route, Matcher m) throws IOException {
        ToolFunction function = route.function();
        Map<String, JsonNode> byWireName = new LinkedHashMap<>();
        for (int i = 0; i < route.variables().size(); i++) {
            byWireName.put("PATH " + route.variables().get(i), TextNode.valueOf(decode(m.group(i + 1).replace("+", "%2B"))));
        }
        query(exchange.getRequestURI().getRawQuery()).forEach((k, v) -> byWireName.put("QUERY " + k, v));
        JsonNode body = body(exchange);
        Map<String, JsonNode> arguments = new TreeMap<>();
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, Param> a : function.arguments().entrySet()) {
            Param p = a.getValue();
            JsonNode value = switch (p.location()) {
                case PATH, QUERY -> byWireName.get(p.location() + " " + p.name());
                case HEADER -> Optional.ofNullable(exchange.getRequestHeaders().getFirst(p.name())).<JsonNode>map(TextNode::valueOf).orElse(null);
                case BODY -> body.isObject() && body.has(p.name()) ? body.get(p.name())
                        : p.name().equals("body") && !body.isMissingNode() ? body : null;
            };
            if (value != null) {
                arguments.put(a.getKey(), typed(value, p.type()));
            } else if (p.required()) {
                missing.add(a.getKey());
            }
        }
        if (!missing.isEmpty()) {
            respond(exchange, 400, MAPPER.createObjectNode().put("error", "missing required parameter(s): " + String.join(", ", missing)));
            return;
        }
        Optional<Fixture> fixture = fixtures.match(function.name(), arguments);
        if (fixture.isPresent()) {
            respond(exchange, fixture.get().status(), fixture.get().body());
            return;
        }
        long seed = Hashing.murmur3_128().hashString(function.toolKey() + "\n" + function.endpoint().name() + "\n"
                + MAPPER.valueToTree(arguments), StandardCharsets.UTF_8).asLong();
        ResponseSynthesizer synthesizer = new ResponseSynthesizer(seed, arguments);
        JsonNode answer = function.endpoint().templateResponse().filter(t -> t.isContainerNode())
                .map(synthesizer::fromTemplate)
                .or(() -> function.endpoint().responseSchema().map(synthesizer::fromSchema))
                .orElseGet(() -> {
                    ObjectNode generic = MAPPER.createObjectNode().put("message", "OK: " + function.endpoint().name());
                    generic.set("arguments", MAPPER.valueToTree(arguments));
                    return generic;
                });
        respond(exchange, 200, answer);
    }

    private static JsonNode typed(JsonNode value, String type) {
        if (!value.isTextual()) {
            return value;
        }
        String text = value.asText();
        try {
            return switch (type) {
                case "integer" -> MAPPER.getNodeFactory().numberNode(Long.parseLong(text));
                case "number" -> MAPPER.getNodeFactory().numberNode(new java.math.BigDecimal(text));
                case "boolean" -> text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")
                        ? MAPPER.getNodeFactory().booleanNode(Boolean.parseBoolean(text)) : value;
                default -> value;
            };
        } catch (NumberFormatException e) {
            return value;
        }
    }

    private static Map<String, JsonNode> query(String raw) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            TextNode value = TextNode.valueOf(eq < 0 ? "" : decode(pair.substring(eq + 1)));
            // A repeated key is an array parameter.
            out.merge(key, value, (a, b) -> a.isArray() ? ((com.fasterxml.jackson.databind.node.ArrayNode) a).add(b)
                    : MAPPER.createArrayNode().add(a).add(b));
        }
        return out;
    }

    private static JsonNode body(HttpExchange exchange) throws IOException {
        byte[] bytes;
        try (InputStream in = exchange.getRequestBody()) {
            bytes = in.readNBytes(MAX_BODY_BYTES);
        }
        if (bytes.length == 0) {
            return MAPPER.missingNode();
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        String type = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type")).orElse("");
        if (type.startsWith("application/x-www-form-urlencoded")) {
            ObjectNode form = MAPPER.createObjectNode();
            query(text).forEach(form::set);
            return form;
        }
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            return TextNode.valueOf(text);
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static void respond(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = MAPPER.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
