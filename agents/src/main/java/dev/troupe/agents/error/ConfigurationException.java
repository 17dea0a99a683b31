package dev.troupe.agents.error;

/** Raised for bad configuration a user can fix: model specs, team definitions, scripts, limits. */
public class ConfigurationException extends TroupeException {
    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
