package dev.troupe.agents.event;

import dev.troupe.agents.message.Message;
import dev.troupe.agents.model.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Everything that happens in a run, as small immutable records. */
public sealed interface RunEvent {
    String runId();

    Instant at();

    record RunStarted(String runId, Instant at, String team, String requirement) implements RunEvent {}

    record MessagePublished(String runId, Instant at, Message message) implements RunEvent {}

    record ActionStarted(String runId, Instant at, String role, String action, int round) implements RunEvent {}

    record ActionFinished(String runId, Instant at, String role, String action, int round, Message output,
                          Duration wallTime) implements RunEvent {}

    record ActionFailed(String runId, Instant at, String role, String action, int round, String error) implements RunEvent {}

    /**
     * A model call as the gateway saw it, successful or not.
     *
     * @param attempts tries made, retries included; 0 when the call failed
     */
    record ModelCall(String runId, Instant at, String role, String action, int step, String model, boolean synthetic,
                     long inputTokens, long outputTokens, double costUsd, Duration latency, int attempts,
                     Optional<String> error) implements RunEvent {}

    /**
     * The tools a provider chose for one call of an action (e.g. by retrieval from a catalog), best first.
     *
     * @param scores one per tool when the provider ranks them, else empty
     */
    record ToolsChosen(String runId, Instant at, String role, String action, String how, java.util.List<String> tools,
                       java.util.List<Double> scores) implements RunEvent {}

    record ToolCall(String runId, Instant at, String role, String action, String tool, String arguments,
                    String result, boolean failed, Duration latency) implements RunEvent {}

    /**
     * A node of a DFSDT search tree: the root, a tool call, an answer, a give-up, a dead end, or a
     * backtrack (the node is expanded again; {@code detail} lists its earlier children's actions);
     * under structured reflection also a step replayed from an earlier trial, or the call a reflection forced.
     *
     * @param parent the parent node's id, -1 for the root
     */
    record SearchNode(String runId, Instant at, String role, String action, int node, int parent, int depth, String kind,
                      String detail) implements RunEvent {}

    /**
     * One step of a reflective trial: the call, how it came about (planned, replayed, replayed from a
     * cached read-only observation, or forced by a reflection), and whether it failed.
     *
     * @param step the step's number as users and models see it, from 1 (the memory stores it from 0)
     */
    record TrialStep(String runId, Instant at, String role, String action, int attempt, int step, String call, String how,
                     boolean failed, String observation) implements RunEvent {}

    /** A reflective trial ended; {@code trial} numbers trials across runs of the task, {@code attempt} within this run. */
    record TrialEnded(String runId, Instant at, String role, String action, int attempt, int trial, int steps, boolean passed,
                      String outcome, String why) implements RunEvent {}

    /**
     * A failed trial was reflected on: the earliest critical step and its correction.
     *
     * @param step the critical step's number, from 1 as in {@link TrialStep}
     */
    record Reflected(String runId, Instant at, String role, String action, int trial, int step, String lesson,
                     String correctedAction) implements RunEvent {}

    /** A reflective action started with lessons stored by earlier runs of its task ("step 2: …", numbered from 1). */
    record LessonsLoaded(String runId, Instant at, String role, String action, String taskKey,
                         java.util.List<String> lessons) implements RunEvent {}

    record RunFinished(String runId, Instant at, String status, Duration wallTime, Usage usage,
                       Optional<String> error) implements RunEvent {}
}
