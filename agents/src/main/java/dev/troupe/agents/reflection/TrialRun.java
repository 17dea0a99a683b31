package dev.troupe.agents.reflection;

import dev.troupe.memory.reflection.FailureReason;
import dev.troupe.memory.reflection.Step;
import java.util.List;
import java.util.Optional;

/** A finished trial, planned in stages or searched: its steps and either an answer or why it failed. */
record TrialRun(List<Step> steps, Optional<String> answer, FailureReason failure, String detail) {
    static TrialRun answered(List<Step> steps, String answer) {
        return new TrialRun(List.copyOf(steps), Optional.of(answer), null, "");
    }

    static TrialRun failed(List<Step> steps, FailureReason reason, String detail) {
        return new TrialRun(List.copyOf(steps), Optional.empty(), reason, detail);
    }
}
