package dev.troupe.agents.team;

import dev.troupe.agents.error.ConfigurationException;
import dev.troupe.agents.message.Message;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a run writes every message it publishes and every call its roles complete, before it moves
 * on, so that {@link Team#resume(String)} can continue a killed run without doing completed work
 * again. {@code JdbcJournal} keeps it in SQLite or PostgreSQL.
 */
public interface Journal {

    /** Starts the journal of a new run. */
    Session begin(String runId, String team, String requirement, Optional<Path> workspace);

    /**
     * Claims a journaled run of {@code team} for one more attempt and returns what it had done;
     * writes of earlier attempts are refused from now on.
     *
     * @throws ConfigurationException when the journal holds no run with that id, or it is a run of
     *         another team (nothing is claimed then)
     */
    Resumption resume(String runId, String team);

    /** The journal of one attempt at a run. Each method returns once its entry is durable, or throws. */
    interface Session {
        void message(Message message);

        void completed(CompletedCall call);

        /**
         * A completed call and the message its action published, durable together (one write where
         * the store allows it): the call counts as completed once its message is journaled too.
         */
        default void completed(CompletedCall call, Message message) {
            completed(call);
            message(message);
        }

        void finished(RunStatus status, Optional<String> error);
    }
}
