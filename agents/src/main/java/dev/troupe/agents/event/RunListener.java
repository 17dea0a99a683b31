package dev.troupe.agents.event;

import dev.troupe.agents.model.ModelBackend;
import dev.troupe.agents.model.ModelCallListener;
import dev.troupe.agents.model.ModelRequest;
import dev.troupe.agents.model.ModelResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Hooks into a run, each a no-op by default. Listeners are called from the threads that do the
 * work, so they must be thread-safe and quick; a listener that throws is logged and skipped.
 */
public interface RunListener extends ModelCallListener {
    /** A run has started, before its requirement is published. */
    default void onRunStarted(RunEvent.RunStarted e) {}

    /** A message is on the bus (only when {@link #wantsEvents()}). */
    default void onMessagePublished(RunEvent.MessagePublished e) {}

    /** A role has started an action. */
    default void onActionStarted(RunEvent.ActionStarted e) {}

    /** An action has finished; its message is published right after. */
    default void onActionFinished(RunEvent.ActionFinished e) {}

    /** An action has failed; the run ends with its error. */
    default void onActionFailed(RunEvent.ActionFailed e) {}

    /** A model call has answered or failed, with its usage and cost. */
    default void onModelCall(RunEvent.ModelCall e) {}

    /** A tool provider chose the tools of a prompt. */
    default void onToolsChosen(RunEvent.ToolsChosen e) {}

    /** A tool was called, with its result. */
    default void onToolCall(RunEvent.ToolCall e) {}

    /** A DFSDT search expanded or closed a node. */
    default void onSearchNode(RunEvent.SearchNode e) {}

    /** A step of a reflective trial was taken. */
    default void onTrialStep(RunEvent.TrialStep e) {}

    /** A reflective trial ended, judged passed or failed. */
    default void onTrialEnded(RunEvent.TrialEnded e) {}

    /** A failed trial was reflected on; the lesson is stored. */
    default void onReflected(RunEvent.Reflected e) {}

    /** A reflective action loaded the lessons of earlier trials. */
    default void onLessonsLoaded(RunEvent.LessonsLoaded e) {}

    /** A run has ended, with its status and usage. */
    default void onRunFinished(RunEvent.RunFinished e) {}

    /**
     * Whether this listener wants events at all. Hot paths skip building events for a listener
     * that answers false; the default is true.
     */
    default boolean wantsEvents() {
        return true;
    }

    @Override
    default boolean wantsModelCalls() {
        return wantsEvents();
    }

    /** The gateway's report of an answered call, as a {@link RunEvent.ModelCall}. */
    @Override
    default void modelAnswered(ModelRequest r, ModelResponse response, Duration latency) {
        on(new RunEvent.ModelCall(r.runId(), Instant.now(), r.role(), r.action(), r.step(), response.model(),
                response.synthetic(), response.inputTokens(), response.outputTokens(), response.costUsd(), latency,
                response.attempts(), Optional.empty()));
    }

    /** The gateway's report of a failed call, as a {@link RunEvent.ModelCall} with its error and no attempts. */
    @Override
    default void modelFailed(ModelRequest r, ModelBackend backend, Duration latency, RuntimeException failure) {
        on(new RunEvent.ModelCall(r.runId(), Instant.now(), r.role(), r.action(), r.step(), backend.spec(),
                backend.synthetic(), 0, 0, 0, latency, 0, Optional.of(String.valueOf(failure.getMessage()))));
    }

    /** Dispatches any event to its hook. */
    default void on(RunEvent event) {
        switch (event) {
            case RunEvent.RunStarted e -> onRunStarted(e);
            case RunEvent.MessagePublished e -> onMessagePublished(e);
            case RunEvent.ActionStarted e -> onActionStarted(e);
            case RunEvent.ActionFinished e -> onActionFinished(e);
            case RunEvent.ActionFailed e -> onActionFailed(e);
            case RunEvent.ModelCall e -> onModelCall(e);
            case RunEvent.ToolsChosen e -> onToolsChosen(e);
            case RunEvent.ToolCall e -> onToolCall(e);
            case RunEvent.SearchNode e -> onSearchNode(e);
            case RunEvent.TrialStep e -> onTrialStep(e);
            case RunEvent.TrialEnded e -> onTrialEnded(e);
            case RunEvent.Reflected e -> onReflected(e);
            case RunEvent.LessonsLoaded e -> onLessonsLoaded(e);
            case RunEvent.RunFinished e -> onRunFinished(e);
        }
    }
}
