package dev.troupe.tools.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.core.security.Redactor;
import dev.troupe.tools.egress.EgressDeniedException;
import dev.troupe.tools.function.ToolFunction;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns whatever ended a call — an answer, a refused destination, a transport failure, or a call that never left
 * — into the {@link Observation} the model reads: ToolBench's {@code {"error", "response"}} shape, an error that
 * says what to try next, within the character cap, with every secret masked.
 */
final class ObservationMapper {
    private static final Logger LOG = LoggerFactory.getLogger(HttpToolExecutor.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final int maxObservationChars;
    private final long maxResponseBytes;
    private final Consumer<Observation> onObservation;

    ObservationMapper(int maxObservationChars, long maxResponseBytes, Consumer<Observation> onObservation) {
        this.maxObservationChars = maxObservationChars;
        this.maxResponseBytes = maxResponseBytes;
        this.onObservation = onObservation;
    }

    /** A call stopped before it was sent (unknown function, bad arguments, no base URL). */
    Observation refused(String function, ObservationKind kind, String error, Redactor redactor, long startNanos) {
        return observation(function, kind, error, null, 0, 0, startNanos, redactor);
    }

    /** The last answer of a call, its body read within the cap. */
    Observation answer(ToolCall call, Response response) throws IOException {
        ToolFunction function = call.function();
        Request request = call.request();   // the call as the model made it, not a redirect's hop
        ResponseText body = ResponseText.of(response, call.truncated());
        int code = response.code();
        String where = request.method() + " " + request.url().encodedPath();
        if (code < 300 && body.malformedJson()) {
            String error = "the API answered HTTP " + code + " on " + where + ", but its JSON body is cut off or malformed after "
                    + call.attempts() + " attempt(s); its raw text is below. "
                    + (call.idempotent() ? "Try again later, or use another function"
                    : "The " + request.method() + " may have taken effect: check that before calling it again");
            return observation(function.name(), ObservationKind.MALFORMED_RESPONSE, error, body, code, call.attempts(),
                    call.startNanos(), call.redactor());
        }
        ObservationKind kind = code < 400 ? ObservationKind.OK : code == 429 ? ObservationKind.RATE_LIMITED
                : code >= 500 ? ObservationKind.SERVER_ERROR : ObservationKind.CLIENT_ERROR;
        String error = switch (kind) {
            case OK -> "";
            case RATE_LIMITED -> "rate limited (HTTP 429) by " + request.url().host()
                    + Optional.ofNullable(response.header("Retry-After")).map(r -> "; it asks to retry after " + r + (r.matches("\\d+") ? " s" : ""))
                    .orElse("") + ". Wait, or use another function";
            case SERVER_ERROR -> "the API failed (HTTP " + code + ") on " + where + " after " + call.attempts()
                    + " attempt(s); try again later or use another function";
            default -> "HTTP " + code + " on " + where + ": " + clientErrorAdvice(function, code);
        };
        return observation(function.name(), kind, error, body, code, call.attempts(), call.startNanos(), call.redactor());
    }

    /** The egress policy refused a hop's destination. */
    Observation blocked(ToolCall call, EgressDeniedException e) {
        String name = call.function().name();
        LOG.warn("{}: blocked by the egress policy: {}", name, call.redactor().redact(e.getMessage()));
        return observation(name, ObservationKind.BLOCKED, "the call was blocked by the egress policy: "
                + e.getMessage() + ". Use another function; this destination will not become reachable",
                null, 0, call.attempts(), call.startNanos(), call.redactor());
    }

    /** The last attempt failed in transport: a timeout or a broken connection. */
    Observation failed(ToolCall call, IOException e) {
        boolean timeout = e instanceof InterruptedIOException;
        Request request = call.request();
        String host = request.url().host();
        int attempts = call.attempts();
        String advice = call.idempotent() ? null : "the " + request.method() + " may have taken effect: check that before calling it again";
        String text = timeout
                ? "no answer from " + host + " within the timeout after " + attempts + " attempt(s); "
                + (advice == null ? "try again later, with narrower arguments, or use another function" : advice)
                : "the connection to " + host + " failed (" + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ") after " + attempts + " attempt(s); "
                + (advice == null ? "try again later, or use another function" : advice);
        return observation(call.function().name(), timeout ? ObservationKind.TIMEOUT : ObservationKind.TRANSPORT_ERROR, text,
                null, 0, attempts, call.startNanos(), call.redactor());
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

    /**
     * Renders ToolBench's observation shape within the character cap, then masks secrets in the whole
     * text (a server may echo a key back in its answer).
     */
    private Observation observation(String function, ObservationKind kind, String error, ResponseText body, int status,
            int attempts, long startNanos, Redactor redactor) {
        String responseText = body == null ? "" : redactor.redact(body.text());
        String cleanError = redactor.redact(error);
        boolean cut = body != null && body.truncated();
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
        Observation o = new Observation(function, kind, redactor.redact(text), status, cut, attempts,
                Duration.ofNanos(System.nanoTime() - startNanos));
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
}
