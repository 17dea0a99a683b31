package dev.troupe.tools.error;

import java.nio.file.Path;

/** Raised for an API spec or query file a user can fix; the message names the file, the problem and the fix. */
public class SpecException extends ToolsException {
    private final String file;
    private final String reason;
    private final String advice;

    public SpecException(Path file, String reason, String advice) {
        this(file.toString(), reason, advice, null);
    }

    public SpecException(String file, String reason, String advice, Throwable cause) {
        super(file + ": " + reason + (advice.isBlank() ? "" : " — " + advice), cause);
        this.file = file;
        this.reason = reason;
        this.advice = advice;
    }

    /** The file (or other source) the problem is in. */
    public String file() {
        return file;
    }

    /** What was wrong, without the file and the advice. */
    public String reason() {
        return reason;
    }

    /** What to do about it; may be empty. */
    public String advice() {
        return advice;
    }
}
