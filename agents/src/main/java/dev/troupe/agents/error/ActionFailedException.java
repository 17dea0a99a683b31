package dev.troupe.agents.error;

/** Raised when an action cannot produce a valid output; names the role, the action and the last output. */
public class ActionFailedException extends TroupeException {
    private final String role;
    private final String action;
    private final String detail;

    /** {@code action} of {@code role} failed; {@code message} says why and what to do. */
    public ActionFailedException(String role, String action, String message) {
        this(role, action, message, null);
    }

    /** {@code action} of {@code role} failed on {@code cause}; {@code message} says why and what to do. */
    public ActionFailedException(String role, String action, String message, Throwable cause) {
        super("Role '" + role + "', action '" + action + "': " + message, cause);
        this.role = role;
        this.action = action;
        this.detail = message;
    }

    /** The role whose action failed. */
    public String role() {
        return role;
    }

    /** The action that failed. */
    public String action() {
        return action;
    }

    /** The message without the role and action it names. */
    public String detail() {
        return detail;
    }
}
