package dev.troupe.agents.error;

/** Raised for bad configuration a user can fix: model specs, team definitions, scripts, limits. */
public class ConfigurationException extends TroupeException {
    /** A configuration error whose {@code message} names the setting and how to fix it. */
    public ConfigurationException(String message) {
        super(message);
    }

    /** A configuration error whose {@code message} names the setting and how to fix it, caused by {@code cause}. */
    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
