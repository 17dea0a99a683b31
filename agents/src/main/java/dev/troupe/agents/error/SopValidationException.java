package dev.troupe.agents.error;

import java.util.List;

/** Raised when a team's SOP graph is inconsistent; lists every problem found, not just the first. */
public class SopValidationException extends ConfigurationException {
    private final List<String> problems;

    public SopValidationException(String team, List<String> problems) {
        super("Team '" + team + "' has an invalid SOP:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
