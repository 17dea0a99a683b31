package dev.troupe.memory.error;

/**
 * A run asked for another trial of a task after using all {@code maxTrials} of them; stop retrying
 * and report the last failure, or raise the cap.
 */
public class TrialCapExceededException extends MemoryException {
    private final String taskKey;
    private final String runId;
    private final int maxTrials;

    public TrialCapExceededException(String taskKey, String runId, int maxTrials) {
        super("task '" + taskKey + "': run '" + runId + "' has used all " + maxTrials + " of its trials (maxTrials="
                + maxTrials + "); report the last failure, or raise reflection.maxTrials", false);
        this.taskKey = taskKey;
        this.runId = runId;
        this.maxTrials = maxTrials;
    }

    public String taskKey() {
        return taskKey;
    }

    public String runId() {
        return runId;
    }

    public int maxTrials() {
        return maxTrials;
    }
}
