package dev.troupe.memory.error;

/**
 * No JDBC driver for a database's URL is on the class path: the memory module leaves the choice of
 * driver to the application, and the message names the dependency to add.
 */
public class MissingDriverException extends MemoryException {
    private final String artifact;

    public MissingDriverException(String message, String artifact) {
        super(message, false);
        this.artifact = artifact;
    }

    /** The driver's Maven coordinates with the version Troupe is tested with, e.g. {@code org.xerial:sqlite-jdbc:3.50.3.0}. */
    public String artifact() {
        return artifact;
    }
}
