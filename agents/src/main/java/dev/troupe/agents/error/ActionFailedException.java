package dev.troupe.agents.error;

/** Raised when an action cannot produce a valid output; names the role, the action and the last output. */
public class ActionFailedException extends TroupeException {
    private final String role;
    private final String action;

    public ActionFailedException(String role, String action, String message) {
        this(role, action, message, null);
    }

    public ActionFailedException(String role, String action, String message, Throwable cause) {
        super("Role '" + role + "', action '" + action + "': " + message, cause);
        this.role = role;
        this.action = action;
    }

    public String role() {
        return role;
    }

    public String action() {
        return action;
    }
}
