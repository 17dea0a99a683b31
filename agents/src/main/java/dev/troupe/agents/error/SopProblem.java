package dev.troupe.agents.error;

import java.util.Objects;
import java.util.Optional;

/**
 * One inconsistency of a team's SOP, with what it is about so that a loader can point at it.
 *
 * @param role    the role it is about; empty for a problem of the whole team
 * @param action  the action of that role it is about; empty for a problem of the role
 * @param key     the setting at fault, named as in a team file: {@code roles}, {@code name}, {@code watch},
 *                {@code actions}, {@code sendTo}, {@code on} or {@code instruction}
 * @param message the problem in a sentence that names the role and action itself
 */
public record SopProblem(Optional<String> role, Optional<String> action, String key, String message) {
    public SopProblem {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(message, "message");
    }

    /** A problem of the team as a whole, at its setting {@code key}. */
    public static SopProblem ofTeam(String key, String message) {
        return new SopProblem(Optional.empty(), Optional.empty(), key, message);
    }

    /** A problem of {@code role}, at its setting {@code key}. */
    public static SopProblem ofRole(String role, String key, String message) {
        return new SopProblem(Optional.of(role), Optional.empty(), key, message);
    }

    /** A problem of {@code action} of {@code role}, at its setting {@code key}. */
    public static SopProblem ofAction(String role, String action, String key, String message) {
        return new SopProblem(Optional.of(role), Optional.of(action), key, message);
    }

    /** The message, as it is listed in {@link SopValidationException}'s text. */
    @Override
    public String toString() {
        return message;
    }
}
