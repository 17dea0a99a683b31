package dev.troupe.tools.error;

/** Raised when a catalog folder cannot be created, read or searched; the message says which folder and what to do. */
public class CatalogException extends ToolsException {
    public CatalogException(String message) {
        super(message);
    }

    public CatalogException(String message, Throwable cause) {
        super(message, cause);
    }
}
