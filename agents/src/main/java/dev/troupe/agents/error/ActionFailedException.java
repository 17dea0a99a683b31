package dev.troupe.agents.error;

/** Raised when an action cannot produce a valid output; names the role, the action and the last output. */
public class ActionFailedException extends TroupeException {
    private final String role;
    private final String action;
    private final String detail;

    public ActionFailedException(String role, String action, String message) {
        this(role, action, message, null);
    }

    public ActionFailedException(String role, String action, String message, Throwable cause) {
        super("Role '" + role + "', action '" + action + "': " + message, cause);
        this.role = role;
        this.action = action;
        this.detail = message;
    }

    public String role() {
        return role;
    }

    public String action() {
        return action;
    }

    /** The message without the role and action it names. */
    public String detail() {
        return detail;
    }
}
