package dev.troupe.agents.journal;

import com.google.common.collect.ImmutableList;
import dev.troupe.agents.error.ConfigurationException;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.team.CompletedCall;
import dev.troupe.agents.team.Journal;
import dev.troupe.agents.team.Resumption;
import dev.troupe.agents.team.RunStatus;
import dev.troupe.core.security.Redactor;
import dev.troupe.memory.jdbc.Database;
import dev.troupe.memory.journal.Attempt;
import dev.troupe.memory.journal.JdbcRunJournal;
import dev.troupe.memory.journal.JournaledRun;
import dev.troupe.memory.journal.RunEntry;
import dev.troupe.memory.journal.RunJournal;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The run journal on the memory module's store: SQLite in the workspace by default
 * ({@link #inWorkspace}), or any {@link Database}, e.g. {@code Database.forUrl("jdbc:postgresql://…")}.
 * Closing it closes the database it opened.
 */
public final class JdbcJournal implements Journal, AutoCloseable {
    private final JdbcRunJournal store;
    private final Redactor redactor;

    private JdbcJournal(JdbcRunJournal store, Redactor redactor) {
        this.store = store;
        this.redactor = Objects.requireNonNull(redactor);
    }

    /** The journal in {@code .troupe/troupe.db} under {@code workspace}, the file the reflection store uses too. */
    public static JdbcJournal inWorkspace(Path workspace) {
        return new JdbcJournal(JdbcRunJournal.inWorkspace(workspace), Redactor.fromEnvironment());
    }

    /** The journal in {@code database}, its tables created or upgraded first; it masks the environment's secrets. */
    public static JdbcJournal open(Database database) {
        return open(database, Redactor.fromEnvironment());
    }

    /** The journal in {@code database}, storing every string masked by {@code redactor} (e.g. the team's). */
    public static JdbcJournal open(Database database, Redactor redactor) {
        return new JdbcJournal(JdbcRunJournal.open(database), redactor);
    }

    /** The store underneath, for listing and showing runs. */
    public RunJournal store() {
        return store;
    }

    /** Where the journal lives, e.g. {@code sqlite:troupe-workspace/.troupe/troupe.db}. */
    public String label() {
        return store.database().label();
    }

    @Override
    public Session begin(String runId, String team, String requirement, Optional<Path> workspace) {
        Redactor r = redactor;
        Attempt attempt = store.start(new RunEntry(runId, team, r.redact(requirement),
                workspace.map(p -> r.redact(p.toAbsolutePath().toString()))));
        return new JdbcSession(attempt);
    }

    @Override
    public Resumption resume(String runId, String team) {
        JournaledRun before = store.load(runId).orElseThrow(() -> new ConfigurationException("No run '" + runId + "' in the journal "
                + label() + "; 'troupe runs list' shows the runs it holds."));
        if (!before.summary().team().equals(team)) {
            throw new ConfigurationException("Run '" + runId + "' in " + label() + " is a run of team '" + before.summary().team()
                    + "', not of '" + team + "'; resume it with that team.");
        }
        Attempt attempt = store.resume(runId).orElseThrow();
        // Read again after claiming: from now on no earlier attempt can add to it.
        JournaledRun run = store.load(runId).orElseThrow();
        ImmutableList<Message> messages = run.messages().stream().map(j -> JournalJson.message(j.entry()))
                .collect(ImmutableList.toImmutableList());
        ImmutableList<CompletedCall> calls = run.actions().stream().map(j -> JournalJson.call(j.entry()))
                .collect(ImmutableList.toImmutableList());
        return new Resumption(runId, team, run.summary().requirement(), run.summary().workspace().map(Path::of), messages, calls,
                new JdbcSession(attempt));
    }

    @Override
    public void close() {
        store.close();
    }

    @Override
    public String toString() {
        return "JdbcJournal[" + label() + "]";
    }

    private final class JdbcSession implements Session {
        private final Attempt attempt;

        JdbcSession(Attempt attempt) {
            this.attempt = attempt;
        }

        @Override
        public void message(Message message) {
            store.append(attempt, JournalJson.entry(Objects.requireNonNull(message), redactor));
        }

        @Override
        public void completed(CompletedCall call) {
            store.append(attempt, JournalJson.entry(Objects.requireNonNull(call), redactor));
        }

        @Override
        public void completed(CompletedCall call, Message message) {
            store.append(attempt, JournalJson.entry(Objects.requireNonNull(call), redactor), JournalJson.entry(Objects.requireNonNull(message), redactor));
        }

        @Override
        public void finished(RunStatus status, Optional<String> error) {
            store.finish(attempt, status.name(), error.map(redactor::redact));
        }
    }
}
