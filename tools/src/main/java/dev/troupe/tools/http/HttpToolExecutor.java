package dev.troupe.tools.http;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import dev.troupe.core.retry.Backoff;
import dev.troupe.core.retry.Sleeper;
import dev.troupe.core.security.Redactor;
import dev.troupe.core.text.EditDistance;
import dev.troupe.tools.egress.EgressDeniedException;
import dev.troupe.tools.egress.EgressDns;
import dev.troupe.tools.egress.EgressInterceptor;
import dev.troupe.tools.egress.EgressPolicy;
import dev.troupe.tools.function.ArgumentValidator;
import dev.troupe.tools.function.ToolFunction;
import dev.troupe.tools.function.ToolFunctions;
import java.io.IOException;
import java.net.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import okhttp3.Dns;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls the HTTP API behind a {@link ToolFunction} and turns whatever happens — an answer, a 4xx, a
 * 429, a timeout, a refused destination, a model's bad arguments — into an {@link Observation} the model
 * can act on. Credentials go on the wire and nowhere else; every destination passes the {@link EgressPolicy}.
 * A call goes through a chain of interceptors, listed in {@link Builder#build()}.
 */
public final class HttpToolExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(HttpToolExecutor.class);

    private final ToolFunctions functions;
    private final EgressPolicy egress;
    private final Credentials credentials;
    private final Function<ToolFunction, Optional<HttpUrl>> baseUrls;
    private final ArgumentValidator validator = new ArgumentValidator();
    private final Redactor redactor;
    private final ImmutableList<CallInterceptor> chain;
    private final ObservationMapper observations;

    private HttpToolExecutor(Builder b, ImmutableList<CallInterceptor> chain, ObservationMapper observations) {
        this.functions = b.functions;
        this.egress = b.egress;
        this.credentials = b.credentials;
        this.baseUrls = b.baseUrls;
        this.redactor = b.redactor;
        this.chain = chain;
        this.observations = observations;
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
            return observations.refused(functionName, ObservationKind.UNKNOWN_FUNCTION, unknownFunction(functionName), redactor, start);
        }
        ToolFunction function = found.get();
        ArgumentValidator.Result arguments = validator.validate(function, argumentsJson);
        if (!arguments.valid()) {
            return observations.refused(functionName, ObservationKind.BAD_ARGUMENTS, badArguments(function, arguments.problems()),
                    redactor, start);
        }
        Optional<HttpUrl> base = baseUrls.apply(function);
        if (base.isEmpty()) {
            return observations.refused(functionName, ObservationKind.NOT_CONFIGURED, "tool '" + function.tool().name()
                    + "' has no base URL, so it cannot be called; this is a configuration problem, not something to retry",
                    redactor, start);
        }
        Request request;
        try {
            request = ToolRequests.build(function, base.get(), arguments.arguments());
        } catch (IllegalArgumentException e) {
            return observations.refused(functionName, ObservationKind.BAD_ARGUMENTS, "invalid arguments for " + functionName + ": "
                    + e.getMessage(), redactor, start);
        }
        Auth auth = Auth.of(function, credentials);
        ToolCall call = new ToolCall(function, request, auth, auth.masking(redactor), start);
        try (Response response = CallChain.run(chain, call)) {
            return observations.answer(call, response);
        } catch (EgressDeniedException e) {
            return observations.blocked(call, e);
        } catch (IOException e) {
            return observations.failed(call, e);
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
        private Sleeper sleeper = Sleeper.REAL;
        private Redactor redactor;
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

        /** Waits between attempts; tests pass one that records instead of sleeping. */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = sleeper;
            return this;
        }

        /** What observations and log lines mask besides each call's own credential; the environment's secrets by default. */
        public Builder redactor(Redactor redactor) {
            this.redactor = redactor;
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
            if (redactor == null) {
                redactor = Redactor.fromEnvironment();
            }
            // Redirects are followed by the chain, not by OkHttp, so each hop is checked and credentials stay with
            // their origin; one hop is one OkHttp call, so the call timeout bounds one attempt.
            // NO_PROXY: through a proxy, Dns would resolve the proxy and the policy would judge the wrong address.
            OkHttpClient http = client.newBuilder()
                    .dns(new EgressDns(dns, egress))
                    .addNetworkInterceptor(new EgressInterceptor(egress))
                    .proxy(Proxy.NO_PROXY)
                    .followRedirects(false)
                    .followSslRedirects(false)
                    .retryOnConnectionFailure(false)
                    .connectTimeout(connectTimeout)
                    .readTimeout(readTimeout)
                    .writeTimeout(readTimeout)
                    .callTimeout(callTimeout)
                    .build();
            ImmutableList<CallInterceptor> chain = ImmutableList.of(
                    new RetryInterceptor(maxAttempts, new Backoff(initialBackoff, maxRetryAfter, 2.0, 0.2), maxRetryAfter,
                            sleeper),                                   // idempotent calls again, after Retry-After or backoff
                    new BodyLimitInterceptor(maxResponseBytes),         // at most the cap of each answer is read
                    new RedirectInterceptor(egress, maxRedirects),      // every hop's destination passes the egress policy
                    new AuthInterceptor(),                              // the credential, on same-origin hops only
                    next -> send(http, next));                          // one hop on the wire
            return new HttpToolExecutor(this, chain, new ObservationMapper(maxObservationChars, maxResponseBytes, onObservation));
        }

        private static Response send(OkHttpClient http, CallInterceptor.Chain chain) throws IOException {
            Request sent = chain.request();
            long t0 = System.nanoTime();
            Response response = http.newCall(sent).execute();
            if (LOG.isDebugEnabled()) {
                ToolCall call = chain.call();
                LOG.debug("{} {} -> {} in {} ms (attempt {}, hop {})", sent.method(), call.redactor().redact(sent.url().toString()),
                        response.code(), (System.nanoTime() - t0) / 1_000_000, call.attempts(), call.hop());
            }
            return response;
        }
    }
}
