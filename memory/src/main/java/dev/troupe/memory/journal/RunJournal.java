package dev.troupe.memory.journal;

import com.google.common.collect.ImmutableList;
import dev.troupe.memory.error.RunTakenOverException;
import java.util.Optional;

/**
 * Keeps every run's journal: each published message and each completed action, written before
 * the run moves on, so a killed run can be resumed without doing completed work again. Knows
 * nothing of the runtime's types: messages and outputs are JSON text.
 */
public interface RunJournal {
    /** The status of a run that has not ended, or whose process was killed before it could say so. */
    String RUNNING = "RUNNING";

    /** Records a new run as attempt 1 of it. */
    Attempt start(RunEntry run);

    /**
     * Claims a journaled run for one more attempt and marks it {@value #RUNNING} again; from now on
     * writes of earlier attempts are refused with a {@link RunTakenOverException}.
     *
     * @return empty when the journal holds no run with that id
     */
    Optional<Attempt> resume(String runId);

    /**
     * Appends a published message; returns once it is durable.
     *
     * @return the entry's sequence number within the run
     * @throws RunTakenOverException when {@code attempt} is no longer the run's latest
     */
    long append(Attempt attempt, MessageEntry message);

    /**
     * Appends a completed action; returns once it is durable.
     *
     * @return the entry's sequence number within the run
     * @throws RunTakenOverException when {@code attempt} is no longer the run's latest
     */
    long append(Attempt attempt, ActionEntry action);

    /**
     * Appends a completed action and the message it published, in that order, in one transaction:
     * both are durable when it returns, or neither is.
     *
     * @return the message's sequence number (the action's is one less)
     * @throws RunTakenOverException when {@code attempt} is no longer the run's latest
     */
    long append(Attempt attempt, ActionEntry action, MessageEntry message);

    /**
     * Records how the run ended.
     *
     * @throws RunTakenOverException when {@code attempt} is no longer the run's latest
     */
    void finish(Attempt attempt, String status, Optional<String> error);

    /** Every journaled run, newest first. */
    ImmutableList<RunSummary> list();

    /** The run's whole journal; empty when there is no run with that id. */
    Optional<JournaledRun> load(String runId);
}
