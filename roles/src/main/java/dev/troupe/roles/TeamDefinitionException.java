package dev.troupe.roles;

import dev.troupe.agents.error.ConfigurationException;

/** A mistake in a team definition, reported with file:line:column and what to do. */
public class TeamDefinitionException extends ConfigurationException {
    public TeamDefinitionException(String message) {
        super(message);
    }

    public TeamDefinitionException(String message, Throwable cause) {
        super(message, cause);
    }
}
