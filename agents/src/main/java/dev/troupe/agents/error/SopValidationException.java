package dev.troupe.agents.error;

import com.google.common.collect.ImmutableList;
import java.util.List;

/** Raised when a team's SOP graph is inconsistent; lists every problem found, not just the first. */
public class SopValidationException extends ConfigurationException {
    private final ImmutableList<SopProblem> problems;

    /** The SOP of {@code team} has {@code problems}; the message lists each. */
    public SopValidationException(String team, List<SopProblem> problems) {
        super("Team '" + team + "' has an invalid SOP:\n  - " + String.join("\n  - ", problems.stream().map(SopProblem::message).toList()));
        this.problems = ImmutableList.copyOf(problems);
    }

    /** Every problem found, each with the role, action and setting it is about. */
    public ImmutableList<SopProblem> problems() {
        return problems;
    }
}
