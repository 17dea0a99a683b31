package dev.troupe.busnats.wire;

import dev.troupe.agents.event.RunEvent;
import dev.troupe.agents.model.Usage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the processes of a distributed run tell each other beside the messages themselves, stored in
 * the run's control subjects: the run's settings, one report per (message, role) step, the workers'
 * run events, and the run's end.
 */
public sealed interface ControlRecord {
    String runId();

    /** The subject token of this kind of record. */
    String kind();

    /**
     * Published by the coordinator before the requirement: the limits every worker applies to the run.
     *
     * @param maxUsd    the run's budget in US dollars; empty for none
     * @param maxTokens the run's budget in tokens; empty for none
     * @param workspace the folder the workers' actions write files and run commands in, shared by them
     */
    record RunOpened(String runId, String team, String requirement, int maxRounds, Optional<Double> maxUsd,
                     Optional<Long> maxTokens, Instant deadline, Optional<String> workspace, Instant at) implements ControlRecord {
        public RunOpened {
            Objects.requireNonNull(maxUsd);
            Objects.requireNonNull(maxTokens);
            Objects.requireNonNull(workspace);
        }

        @Override
        public String kind() {
            return "opened";
        }
    }

    /** How one role's step on one message ended. */
    enum Outcome { DONE, FAILED, BUDGET_EXCEEDED, ROUND_LIMIT }

    /**
     * A worker's report that role {@code role} has processed message {@code inputId}; published after
     * the step's outputs, so a reader that sees the report has seen the outputs.
     *
     * @param attempt the delivery attempt that did the work (2 or more after a redelivery)
     * @param outputs the ids of the messages the step published
     * @param usage   model calls, tokens, cost and wall time of this step, per role and action
     */
    record StepDone(String runId, String inputId, String role, String worker, long attempt, Outcome outcome,
                    Optional<String> error, List<String> outputs, Map<String, Map<String, Usage>> usage,
                    Instant at) implements ControlRecord {
        public StepDone {
            Objects.requireNonNull(error);
            outputs = List.copyOf(outputs);
            usage = Map.copyOf(usage);
        }

        @Override
        public String kind() {
            return "step";
        }
    }

    /** A run event raised in a worker (action started or finished, a model or tool call), for the coordinator's listeners. */
    record Forwarded(String runId, RunEvent event) implements ControlRecord {
        @Override
        public String kind() {
            return "event";
        }
    }

    /** Published by the coordinator when the run ends, so workers drop what is left of it. */
    record RunClosed(String runId, String status, Optional<String> error, Instant at) implements ControlRecord {
        public RunClosed {
            Objects.requireNonNull(error);
        }

        @Override
        public String kind() {
            return "closed";
        }
    }
}
