package dev.troupe.system.faults;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.troupe.tools.function.ToolFunction;
import dev.troupe.tools.virtual.VirtualApiServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A local HTTP server in front of a {@link VirtualApiServer}, for tool fault tests: it forwards each
 * request to the virtual server and relays the answer, except for a seeded share of requests, which
 * get a fault instead (drawn by {@link FaultDraws} from the method, path and body, so retries of one
 * call share their draws and {@link Builder#maxFaultsPerCall} bounds the faults a call meets). Paths
 * given to {@link Builder#permanent} always get that status, before any draw, as an API that refuses
 * a key, a plan or a route would answer.
 */
final class FaultyToolServer implements AutoCloseable {

    /** What the server can do to a request instead of relaying the virtual server's answer. */
    enum Fault {
        /** 429 with {@code Retry-After: 0} or {@code 1}. */
        RATE_LIMIT_429,
        /** 500 with a JSON error. */
        SERVER_ERROR_500,
        /** 503 with a JSON error. */
        UNAVAILABLE_503,
        /** The request is read, then the connection is closed with no response. */
        DISCONNECT_BEFORE_RESPONSE,
        /** The real answer, its connection closed half-way through the body. */
        DISCONNECT_DURING_BODY,
        /** No response at all: the executor's read timeout has to end it. */
        READ_TIMEOUT,
        /** A 200 with complete headers and the real JSON cut short (its Content-Length matches the cut). */
        TRUNCATED_BODY,
        /** A 200 declared {@code application/json} whose body is not JSON: a proxy's HTML page, or the real answer with a broken colon. */
        MALFORMED_JSON
    }

    /**
     * One request as the server saw it.
     *
     * @param status the status sent, 0 when no status line went out
     * @param retryAfter the Retry-After sent with a 429, else empty
     */
    record Exchange(int index, String method, String path, Optional<Fault> fault, int status, String retryAfter) {}

    private static final Set<String> HOP_BY_HOP = Set.of("host", "content-length", "connection", "transfer-encoding",
            "accept-encoding", "keep-alive");

    private final VirtualApiServer upstream;
    private final FaultDraws<Fault> draws;
    private final ImmutableList<Fault> kinds;
    private final ImmutableMap<String, Integer> permanent;
    private final OkHttpClient client = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
    private final MockWebServer server = new MockWebServer();
    private final AtomicInteger requests = new AtomicInteger();
    private final List<Exchange> exchanges = Collections.synchronizedList(new ArrayList<>());

    private FaultyToolServer(Builder b) {
        this.upstream = b.upstream;
        this.draws = new FaultDraws<>(Fault.class, b.faultRate, b.seed, b.maxFaultsPerCall);
        this.kinds = ImmutableList.copyOf(b.kinds);
        this.permanent = ImmutableMap.copyOf(b.permanent);
    }

    static Builder builder(VirtualApiServer upstream) {
        return new Builder(upstream);
    }

    /** The loopback host to allow in the executor's egress policy. */
    String host() {
        return server.getHostName();
    }

    /** Routes every tool through this server; hand it to {@code HttpToolExecutor.Builder.baseUrls}. */
    Function<ToolFunction, Optional<HttpUrl>> baseUrls() {
        return f -> Optional.of(server.url("/" + f.toolKey()));
    }

    int requests() {
        return requests.get();
    }

    /** What was injected: faults by kind, Retry-After values, spared draws. */
    FaultDraws<Fault> draws() {
        return draws;
    }

    /** Every request in arrival order. */
    ImmutableList<Exchange> exchanges() {
        synchronized (exchanges) {
            return exchanges.stream().sorted((a, b) -> Integer.compare(a.index(), b.index())).collect(ImmutableList.toImmutableList());
        }
    }

    /** A one-line account for test output. */
    String summary() {
        return "requests=" + requests() + " " + draws.summary();
    }

    @Override
    public void close() throws IOException {
        server.shutdown();
    }

    private MockResponse dispatch(RecordedRequest request) {
        int index = requests.getAndIncrement();
        String method = request.getMethod();
        String path = request.getPath();
        String body = request.getBody().readUtf8();
        String route = path.indexOf('?') < 0 ? path : path.substring(0, path.indexOf('?'));
        for (Map.Entry<String, Integer> p : permanent.entrySet()) {
            if (route.endsWith(p.getKey())) {
                exchanges.add(new Exchange(index, method, path, Optional.empty(), p.getValue(), ""));
                return FaultResponses.json(p.getValue(), "{\"message\": \"" + refusal(p.getValue()) + "\"}");
            }
        }
        FaultDraws.Draw<Fault> draw = draws.draw(method + " " + path + "\n" + body, kinds);
        SplittableRandom random = draw.random();
        String retryAfter = draw.fault().filter(f -> f == Fault.RATE_LIMIT_429).map(f -> draws.retryAfter(random)).orElse("");
        MockResponse response = switch (draw.fault().orElse(null)) {
            case null -> forward(request, method, path, body);
            case RATE_LIMIT_429 -> FaultResponses.json(429, "{\"message\": \"Too many requests\"}")
                    .setHeader("Retry-After", retryAfter);
            case SERVER_ERROR_500 -> FaultResponses.json(500, "{\"message\": \"Internal server error\"}");
            case UNAVAILABLE_503 -> FaultResponses.json(503, "{\"message\": \"Service temporarily unavailable\"}");
            case DISCONNECT_BEFORE_RESPONSE -> FaultResponses.disconnectBeforeResponse();
            case DISCONNECT_DURING_BODY -> FaultResponses.disconnectDuringBody(forward(request, method, path, body));
            case READ_TIMEOUT -> FaultResponses.noResponse();
            case TRUNCATED_BODY -> FaultResponses.truncated(200, forward(request, method, path, body).getBody().readUtf8(), random);
            case MALFORMED_JSON -> FaultResponses.json(200, malformed(forward(request, method, path, body).getBody().readUtf8(), random));
        };
        boolean noStatusLine = draw.fault().filter(f -> f == Fault.DISCONNECT_BEFORE_RESPONSE || f == Fault.READ_TIMEOUT).isPresent();
        int status = noStatusLine ? 0 : Integer.parseInt(response.getStatus().split(" ")[1]);
        exchanges.add(new Exchange(index, method, path, draw.fault(), status, retryAfter));
        return response;
    }

    /** The virtual server's answer to the same request. */
    private MockResponse forward(RecordedRequest request, String method, String path, String body) {
        HttpUrl url = HttpUrl.get("http://" + upstream.host() + ":" + upstream.port() + path);
        String type = request.getHeader("Content-Type");
        boolean bodyless = body.isEmpty() && (method.equals("GET") || method.equals("HEAD") || method.equals("DELETE"));
        Request.Builder forwarded = new Request.Builder().url(url)
                .method(method, bodyless ? null : RequestBody.create(body, type == null ? null : MediaType.parse(type)));
        for (String name : request.getHeaders().names()) {
            if (!HOP_BY_HOP.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                request.getHeaders().values(name).forEach(v -> forwarded.addHeader(name, v));
            }
        }
        try (Response r = client.newCall(forwarded.build()).execute()) {
            MockResponse relayed = new MockResponse().setResponseCode(r.code()).setBody(r.body() == null ? "" : r.body().string());
            Optional.ofNullable(r.header("Content-Type")).ifPresent(t -> relayed.setHeader("Content-Type", t));
            return relayed;
        } catch (IOException e) {
            throw new UncheckedIOException("the virtual API server did not answer " + method + " " + path, e);
        }
    }

    private static String malformed(String json, SplittableRandom random) {
        int colon = json.indexOf(':');
        if (colon < 0 || random.nextBoolean()) {
            return "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>";
        }
        return json.substring(0, colon) + " " + json.substring(colon + 1);
    }

    private static String refusal(int status) {
        return switch (status) {
            case 401 -> "Invalid API key. Go to https://docs.example.test/keys for more info.";
            case 403 -> "You are not subscribed to this API.";
            case 404 -> "Endpoint does not exist";
            default -> "Refused";
        };
    }

    /** Configures a server; by default it relays every request unharmed. */
    static final class Builder {
        private final VirtualApiServer upstream;
        private double faultRate;
        private long seed;
        private Set<Fault> kinds = EnumSet.allOf(Fault.class);
        private int maxFaultsPerCall = Integer.MAX_VALUE;
        private final Map<String, Integer> permanent = new LinkedHashMap<>();

        private Builder(VirtualApiServer upstream) {
            this.upstream = upstream;
        }

        /** The share (0..1) of requests that get a fault. */
        Builder faultRate(double r) { this.faultRate = r; return this; }
        Builder seed(long s) { this.seed = s; return this; }
        /** The faults to draw from, uniformly. */
        Builder kinds(Set<Fault> k) { this.kinds = EnumSet.copyOf(k); return this; }
        /** At most this many faults for one call (one request and its retries); then it is relayed. */
        Builder maxFaultsPerCall(int n) { this.maxFaultsPerCall = n; return this; }
        /** Every request whose path ends with {@code pathEnd} gets {@code status}, before any fault is drawn. */
        Builder permanent(String pathEnd, int status) { this.permanent.put(pathEnd, status); return this; }

        FaultyToolServer start() throws IOException {
            FaultyToolServer s = new FaultyToolServer(this);
            s.server.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    return s.dispatch(request);
                }
            });
            s.server.start(InetAddress.getByName("127.0.0.1"), 0);
            return s;
        }
    }
}
