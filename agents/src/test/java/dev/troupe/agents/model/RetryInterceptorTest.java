package dev.troupe.agents.model;

import dev.troupe.agents.model.internal.ModelGateway;
import dev.troupe.agents.model.internal.ResponseHeaders;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.RateLimitException;
import dev.troupe.agents.error.ModelException;
import dev.troupe.agents.event.RunEvent;
import dev.troupe.agents.event.RunListener;
import dev.troupe.agents.testing.Fakes;
import dev.troupe.core.retry.Sleeper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class RetryInterceptorTest {
    /** 4 tries, 100 ms doubling up to 1 s, no jitter, Retry-After honoured up to 10 s. */
    private static final RetryPolicy POLICY =
            new RetryPolicy(4, Duration.ofMillis(100), Duration.ofSeconds(1), 2.0, 0.0, Duration.ofSeconds(10));

    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    private final Sleeper recordingSleeper = sleeps::add;
    private final AtomicInteger attempts = new AtomicInteger();
    private final List<RunEvent.ModelCall> events = new CopyOnWriteArrayList<>();

    /** An HTTP error that keeps its response headers, as Troupe's HTTP client does. */
    static final class HeaderedHttpException extends HttpException implements ResponseHeaders {
        private final Map<String, String> headers;

        HeaderedHttpException(int status, Map<String, String> headers) {
            super(status, "HTTP " + status);
            this.headers = headers;
        }

        @Override
        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name));
        }
    }

    /** A backend that throws the queued failures in turn, then answers "ok". */
    private ModelBackend failingFirst(List<Supplier<RuntimeException>> failures) {
        Deque<Supplier<RuntimeException>> queue = new ArrayDeque<>(failures);
        return Fakes.backend("fake:model", r -> {
            attempts.incrementAndGet();
            Supplier<RuntimeException> next;
            synchronized (queue) {
                next = queue.poll();
            }
            if (next != null) {
                throw next.get();
            }
            return Fakes.reply("ok");
        });
    }

    private ModelGateway gateway() {
        return ModelGateway.builder().retryPolicy(POLICY).sleeper(recordingSleeper).prices(PriceTable.empty())
                .listener(new RunListener() {
                    @Override
                    public void onModelCall(RunEvent.ModelCall e) {
                        events.add(e);
                    }
                })
                .build();
    }

    private static ModelRequest request() {
        return Fakes.request("Alice", "Write", "hello");
    }

    @Test
    void retriableModelExceptionsAreRetriedWithBackoffUntilSuccess() {
        ModelBackend backend = failingFirst(List.of(
                () -> new ModelException("overloaded", true, 503, null, null),
                () -> new ModelException("overloaded", true, 503, null, null)));

        ModelResponse response = gateway().call(backend, request());

        assertThat(response.text()).isEqualTo("ok");
        assertThat(response.attempts()).isEqualTo(3);
        assertThat(attempts).hasValue(3);
        assertThat(sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.attempts()).isEqualTo(3);
            assertThat(e.error()).isEmpty();
        });
    }

    @Test
    void langChain4jRateLimitExceptionIsRetried() {
        ModelBackend backend = failingFirst(List.of(() -> new RateLimitException("slow down")));

        ModelResponse response = gateway().call(backend, request());

        assertThat(response.attempts()).isEqualTo(2);
        assertThat(attempts).hasValue(2);
        assertThat(sleeps).containsExactly(Duration.ofMillis(100));
    }

    @Test
    void serverErrorsAndBrokenConnectionsAreRetried() {
        ModelBackend backend = failingFirst(List.of(
                () -> new InternalServerException("boom"),
                () -> new UncheckedIOException(new IOException("connection reset")),
                () -> new HttpException(502, "bad gateway")));

        assertThat(gateway().call(backend, request()).attempts()).isEqualTo(4);
        assertThat(sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400));
    }

    @Test
    void retryAfterHeaderSetsTheDelay() {
        ModelBackend backend = failingFirst(List.of(
                () -> new HeaderedHttpException(429, Map.of("Retry-After", "7")),
                () -> new HeaderedHttpException(503, Map.of("Retry-After", "0.25"))));

        assertThat(gateway().call(backend, request()).attempts()).isEqualTo(3);
        assertThat(sleeps).containsExactly(Duration.ofSeconds(7), Duration.ofMillis(250));
    }

    @Test
    void retryAfterLongerThanTheCapIsCapped() {
        ModelBackend backend = failingFirst(List.of(() -> new HeaderedHttpException(429, Map.of("Retry-After", "3600"))));

        gateway().call(backend, request());

        assertThat(sleeps).containsExactly(Duration.ofSeconds(10));
    }

    @Test
    void nonRetriableFailureFailsAfterOneAttempt() {
        ModelBackend backend = failingFirst(List.of(() -> new AuthenticationException("bad key")));

        ModelException e = catchThrowableOfType(ModelException.class, () -> gateway().call(backend, request()));

        assertThat(e).isNotNull();
        assertThat(e.retriable()).isFalse();
        assertThat(e.getMessage()).contains("rejected the credentials").contains("role 'Alice', action 'Write'");
        assertThat(attempts).hasValue(1);
        assertThat(sleeps).isEmpty();
        assertThat(events).singleElement().satisfies(ev -> assertThat(ev.error()).isPresent());
    }

    @Test
    void badRequestAndNonRetriableModelExceptionFailAfterOneAttempt() {
        ModelBackend badRequest = failingFirst(List.of(() -> new InvalidRequestException("context too long")));
        assertThat(catchThrowableOfType(ModelException.class, () -> gateway().call(badRequest, request())).status())
                .isEmpty();
        assertThat(attempts).hasValue(1);

        attempts.set(0);
        ModelBackend permanent = failingFirst(List.of(() -> new ModelException("nope", false, 400, null, null)));
        assertThat(catchThrowableOfType(ModelException.class, () -> gateway().call(permanent, request())))
                .hasMessage("nope");
        assertThat(attempts).hasValue(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void persistentRetriableFailureGivesUpAfterMaxAttempts() {
        ModelBackend backend = Fakes.backend("fake:model", r -> {
            attempts.incrementAndGet();
            throw new RateLimitException("always");
        });

        ModelException e = catchThrowableOfType(ModelException.class, () -> gateway().call(backend, request()));

        assertThat(e.getMessage()).contains("Rate limited (HTTP 429)").contains("gave up after 4 attempts");
        assertThat(e.retriable()).isFalse();
        assertThat(e.status()).hasValue(429);
        assertThat(attempts).hasValue(4);
        assertThat(sleeps).hasSize(3);
    }

    @Test
    void extraInterceptorsSeeEveryAttempt() {
        AtomicInteger seen = new AtomicInteger();
        ModelGateway gateway = ModelGateway.builder().retryPolicy(POLICY).sleeper(recordingSleeper)
                .addInterceptor(chain -> {
                    seen.incrementAndGet();
                    return chain.proceed(chain.request());
                })
                .build();

        gateway.call(failingFirst(List.of(() -> new RateLimitException("x"))), request());

        assertThat(seen).hasValue(2);
    }
}
