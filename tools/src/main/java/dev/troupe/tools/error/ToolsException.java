package dev.troupe.tools.error;

/**
 * Base of every error the tools module raises; the message says what was wrong, where, and what to do.
 */
public class ToolsException extends RuntimeException {
    public ToolsException(String message) {
        super(message);
    }

    public ToolsException(String message, Throwable cause) {
        super(message, cause);
    }
}
