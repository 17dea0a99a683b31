package dev.troupe.agents.model;

import java.util.Map;

/**
 * Makes backends for one spec scheme (e.g. {@code openai} for {@code openai:gpt-4o-mini}).
 * Providers live in their own modules and are found with {@link java.util.ServiceLoader}.
 */
public interface ModelProvider {

    /** The part of the spec before the colon. */
    String scheme();

    /**
     * Creates a backend for {@code model} (the part after the colon), reading settings such as
     * base URLs and keys from {@code env}. Missing settings raise a {@code ConfigurationException}
     * that names the variable to set.
     */
    ModelBackend create(String model, Map<String, String> env);
}
