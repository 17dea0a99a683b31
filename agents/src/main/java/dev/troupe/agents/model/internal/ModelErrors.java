package dev.troupe.agents.model.internal;

import dev.troupe.agents.model.ModelRequest;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.TimeoutException;
import dev.troupe.agents.error.ModelException;
import dev.troupe.agents.error.TroupeException;
import dev.troupe.core.retry.RetryAfter;
import dev.troupe.core.security.Redactor;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Optional;

/** The one place that decides whether a failed model call is worth retrying, and says why in plain words. */
public final class ModelErrors {
    private ModelErrors() {}

    /**
     * Classifies {@code t}, thrown by a backend for {@code request}, as a {@link ModelException}; the provider's
     * message is masked with the environment's {@link Redactor}.
     */
    public static ModelException classify(Throwable t, ModelRequest request, String model) {
        return classify(t, request, model, Redactor.fromEnvironment());
    }

    /** Classifies {@code t} as a {@link ModelException}, masking the provider's message with {@code redactor}. */
    public static ModelException classify(Throwable t, ModelRequest request, String model, Redactor redactor) {
        if (t instanceof ModelException me) {
            return me;
        }
        Integer status = statusOf(t);
        Duration retryAfter = retryAfterOf(t).orElse(null);
        String where = " (model " + model + ", " + request.where() + ")";
        String detail = firstLine(t.getMessage(), redactor);
        if (t instanceof AuthenticationException || (status != null && (status == 401 || status == 403))) {
            return new ModelException("The model provider rejected the credentials (HTTP " + (status == null ? "401/403" : status)
                    + ")" + where + ": " + detail + ". Check OPENAI_API_KEY or the provider's key and its permissions.", false, status, null, t);
        }
        if (t instanceof ModelNotFoundException || (status != null && status == 404)) {
            return new ModelException("The model provider does not know this model (HTTP 404)" + where
                    + ". Check the model name in the model spec.", false, status, null, t);
        }
        if (t instanceof RateLimitException || (status != null && status == 429)) {
            return new ModelException("Rate limited (HTTP 429)" + where + ": " + detail, true, 429, retryAfter, t);
        }
        if (t instanceof InternalServerException || (status != null && status >= 500)) {
            return new ModelException("Model server error (HTTP " + (status == null ? "5xx" : status) + ")" + where + ": " + detail,
                    true, status, retryAfter, t);
        }
        if (status != null && status == 408) {
            return new ModelException("Model request timed out (HTTP 408)" + where, true, status, retryAfter, t);
        }
        if (t instanceof InvalidRequestException || (status != null && status >= 400 && status < 500)) {
            return new ModelException("The model provider rejected the request (HTTP " + (status == null ? 400 : status) + ")"
                    + where + ": " + detail, false, status, null, t);
        }
        if (t instanceof TimeoutException || hasCause(t, InterruptedIOException.class)) {
            return new ModelException("Model call timed out" + where + ": " + detail, true, null, null, t);
        }
        if (hasCause(t, JsonProcessingException.class)) {
            // A truncated or garbled body is usually a transient transport fault.
            return new ModelException("The model's response could not be parsed" + where + ": " + detail, true, null, null, t);
        }
        // JsonProcessingException is an IOException too, so it is checked first.
        if (hasCause(t, ConnectException.class) || hasCause(t, IOException.class)) {
            return new ModelException("Connection to the model failed" + where + ": " + detail, true, null, null, t);
        }
        if (t instanceof TroupeException) {
            return new ModelException(t.getMessage(), false, null, null, t);
        }
        return new ModelException("Model call failed" + where + ": " + t.getClass().getSimpleName() + ": " + detail, false, null, null, t);
    }

    private static Integer statusOf(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof HttpException h) {
                return h.statusCode();
            }
        }
        return null;
    }

    /** The delay a {@code Retry-After} header on any cause asks for (seconds or an HTTP date). */
    static Optional<Duration> retryAfterOf(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ResponseHeaders h) {
                return h.header("Retry-After").flatMap(RetryAfter::parse);
            }
        }
        return Optional.empty();
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static String firstLine(String s, Redactor redactor) {
        if (s == null) {
            return "(no message)";
        }
        // Provider bodies can echo request headers; nothing secret may reach an error message.
        String line = redactor.redact(s.lines().findFirst().orElse(""));
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }
}
