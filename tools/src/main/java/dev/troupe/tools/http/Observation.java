package dev.troupe.tools.http;

import java.time.Duration;
import java.util.Objects;

/**
 * The result of one tool call as the model sees it: {@link #text()} is ToolBench-shaped JSON
 * ({@code {"error": "...", "response": ...}}), capped in size and free of credentials.
 *
 * @param function the function that was called, as the model named it
 * @param kind what happened
 * @param text what to give the model
 * @param status the HTTP status of the last answer, 0 when there was none
 * @param truncated whether the response or the text was cut to the caps
 * @param attempts HTTP attempts made (0 when the call never left)
 * @param elapsed time from start to observation
 */
public record Observation(String function, ObservationKind kind, String text, int status, boolean truncated,
        int attempts, Duration elapsed) {
    public Observation {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(text, "text");
    }
}
