package dev.troupe.agents.event;

/**
 * Hooks into a run, each a no-op by default. Listeners are called from the threads that do the
 * work, so they must be thread-safe and quick; a listener that throws is logged and skipped.
 */
public interface RunListener {
    default void onRunStarted(RunEvent.RunStarted e) {}

    default void onMessagePublished(RunEvent.MessagePublished e) {}

    default void onActionStarted(RunEvent.ActionStarted e) {}

    default void onActionFinished(RunEvent.ActionFinished e) {}

    default void onActionFailed(RunEvent.ActionFailed e) {}

    default void onModelCall(RunEvent.ModelCall e) {}

    default void onToolsChosen(RunEvent.ToolsChosen e) {}

    default void onToolCall(RunEvent.ToolCall e) {}

    default void onSearchNode(RunEvent.SearchNode e) {}

    default void onTrialStep(RunEvent.TrialStep e) {}

    default void onTrialEnded(RunEvent.TrialEnded e) {}

    default void onReflected(RunEvent.Reflected e) {}

    default void onLessonsLoaded(RunEvent.LessonsLoaded e) {}

    default void onRunFinished(RunEvent.RunFinished e) {}

    /**
     * Whether this listener wants events at all. Hot paths skip building events for a listener
     * that answers false; the default is true.
     */
    default boolean wantsEvents() {
        return true;
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
