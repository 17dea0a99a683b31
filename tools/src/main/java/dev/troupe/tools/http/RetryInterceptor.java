package dev.troupe.tools.http;

import dev.troupe.core.retry.Backoff;
import dev.troupe.core.retry.RetryAfter;
import dev.troupe.core.retry.Sleeper;
import dev.troupe.tools.egress.EgressDeniedException;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What is retried: an idempotent call (never a POST or PATCH, which may have taken effect) that got a 429 or 5xx,
 * a transport fault, or a cut or broken JSON answer (a transport fault in disguise), up to the attempt limit,
 * waiting the server's {@code Retry-After} or the backoff. A refused destination is never retried.
 */
final class RetryInterceptor implements CallInterceptor {
    private static final Logger LOG = LoggerFactory.getLogger(HttpToolExecutor.class);
    private static final Set<Integer> RETRIED_STATUSES = Set.of(429, 500, 502, 503, 504);

    private final int maxAttempts;
    private final Backoff backoff;
    private final Duration maxRetryAfter;
    private final Sleeper sleeper;

    RetryInterceptor(int maxAttempts, Backoff backoff, Duration maxRetryAfter, Sleeper sleeper) {
        this.maxAttempts = maxAttempts;
        this.backoff = backoff;
        this.maxRetryAfter = maxRetryAfter;
        this.sleeper = sleeper;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        ToolCall call = chain.call();
        String name = call.function().name();
        for (int attempt = 1; ; attempt++) {
            call.attempt(attempt);
            boolean last = !call.idempotent() || attempt >= maxAttempts;
            Response response;
            try {
                response = chain.proceed(chain.request());
            } catch (EgressDeniedException e) {
                throw e;
            } catch (IOException e) {
                if (last) {
                    throw e;
                }
                LOG.debug("{}: attempt {} failed ({}), retrying", name, attempt, call.redactor().redact(String.valueOf(e)));
                sleep(backoff.delayAfter(attempt));
                continue;
            }
            if (last) {
                return response;
            }
            if (RETRIED_STATUSES.contains(response.code())) {
                Optional<Duration> wait = retryDelay(response, attempt);
                if (wait.isEmpty()) {
                    return response;
                }
                response.close();
                sleep(wait.get());
                continue;
            }
            if (response.code() < 300 && ResponseText.of(response, call.truncated()).malformedJson()) {
                LOG.debug("{}: attempt {} got a malformed JSON body, retrying", name, attempt);
                response.close();
                sleep(backoff.delayAfter(attempt));
                continue;
            }
            return response;
        }
    }

    /** The server's Retry-After, else the backoff; empty when the server asks for longer than the bound. */
    private Optional<Duration> retryDelay(Response response, int attempt) {
        Optional<Duration> asked = RetryAfter.parse(response.header("Retry-After"));
        if (asked.isEmpty()) {
            return Optional.of(backoff.delayAfter(attempt));
        }
        // Waiting longer than the bound would stall the whole plan; the observation reports the wait instead.
        return asked.get().compareTo(maxRetryAfter) > 0 ? Optional.empty() : asked;
    }

    private void sleep(Duration duration) {
        try {
            sleeper.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
