package dev.troupe.agents.tool;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What one tool call gave: the observation the model is shown, and whether the call succeeded or
 * failed with which kind of error. Planners, traces and reflection read {@link #error()}, never the
 * text, to tell a failed step.
 *
 * @param text  the observation as the model sees it
 * @param error the kind of failure; empty when the call succeeded
 */
public record ToolResult(String text, Optional<ErrorKind> error) {

    /** Why a call failed: the agents' own kinds, then those an HTTP tool executor reports. */
    public enum ErrorKind {
        /** The model called a name the action has no tool for. */
        UNKNOWN_TOOL,
        /** The tool threw instead of answering. */
        TOOL_EXCEPTION,
        /** The executor has no function of that name. */
        UNKNOWN_FUNCTION,
        /** The arguments do not fit the function's schema. */
        BAD_ARGUMENTS,
        /** The API answered 4xx (other than 429). */
        CLIENT_ERROR,
        /** The API answered 429, after the bounded retries. */
        RATE_LIMITED,
        /** The API answered 5xx, after the bounded retries. */
        SERVER_ERROR,
        /** The API answered with a cut-off or malformed body. */
        MALFORMED_RESPONSE,
        /** No answer within the timeouts. */
        TIMEOUT,
        /** The connection failed. */
        TRANSPORT_ERROR,
        /** The egress policy refused the destination. */
        BLOCKED,
        /** The tool cannot be called as configured. */
        NOT_CONFIGURED;

        /** The kind as the model reads it in an observation, e.g. {@code bad_arguments}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ToolResult {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(error, "error");
    }

    /** A successful call's observation. */
    public static ToolResult ok(String text) {
        return new ToolResult(text, Optional.empty());
    }

    /** A failed call, shown to the model as {@code Error (kind): message} so it can tell what to fix. */
    public static ToolResult error(ErrorKind kind, String message) {
        return new ToolResult("Error (" + kind.label() + "): " + message, Optional.of(kind));
    }

    /** Whether the call failed; the model still sees the text, planners count it as a failed step. */
    public boolean failed() {
        return error.isPresent();
    }
}
