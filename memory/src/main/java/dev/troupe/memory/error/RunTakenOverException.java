package dev.troupe.memory.error;

/**
 * A process wrote to a run's journal after another process resumed that run: the write was
 * refused, so the two never interleave. The older process should stop working on the run.
 */
public class RunTakenOverException extends MemoryException {
    private final String runId;
    private final int attempt;
    private final int latestAttempt;

    public RunTakenOverException(String runId, int attempt, int latestAttempt) {
        super("run '" + runId + "' was resumed by another process (attempt " + latestAttempt + ") after this one took attempt "
                + attempt + ", so this process may no longer write to its journal; let the newer attempt finish the run", false);
        this.runId = runId;
        this.attempt = attempt;
        this.latestAttempt = latestAttempt;
    }

    public String runId() {
        return runId;
    }

    /** The attempt whose write was refused. */
    public int attempt() {
        return attempt;
    }

    /** The attempt that holds the run now. */
    public int latestAttempt() {
        return latestAttempt;
    }
}
