package dev.troupe.roles;

import dev.troupe.agents.model.ModelBackend;

/**
 * The model a team runs on and where the choice came from, so a caller can tell its user when the
 * team fell back to its scripted offline model.
 *
 * @param spec the chosen model spec, e.g. {@code openai:gpt-4o-mini} or the team's {@code offlineModel:}
 */
public record ModelChoice(ModelBackend backend, String spec, Origin origin) {

    /** Where a {@link ModelChoice} came from, in the order {@link Teams} tries them. */
    public enum Origin {
        /** Given by the caller ({@code --model}, {@link Teams#model}). */
        GIVEN,
        /** The team file's {@code model:}. */
        TEAM,
        /** A live model the environment points at ({@code OPENAI_API_KEY}, {@code OPENAI_BASE_URL}, {@code OLLAMA_BASE_URL}). */
        ENVIRONMENT,
        /** The team's {@code offlineModel:}: scripted answers for its sample idea, not generated ones. */
        OFFLINE
    }
}
