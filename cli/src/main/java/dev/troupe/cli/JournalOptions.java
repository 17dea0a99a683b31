package dev.troupe.cli;

import dev.troupe.agents.error.ConfigurationException;
import dev.troupe.agents.event.RunEvent;
import dev.troupe.agents.event.RunListener;
import dev.troupe.agents.journal.JdbcJournal;
import dev.troupe.agents.team.Team;
import dev.troupe.core.security.Redactor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The journal flags of {@code troupe run}: where the run is journaled, and which run to resume. */
final class JournalOptions {
    @Option(names = "--resume", paramLabel = "RUN_ID",
            description = "Continue a journaled run that stopped (killed, failed, out of budget): completed actions are not run"
                    + " again. Its idea and workspace come from the journal; 'troupe runs list' shows the runs.")
    String resume;

    @Option(names = "--journal", paramLabel = "JDBC_URL",
            description = "Journal in jdbc:postgresql://HOST/DB (or jdbc:sqlite:FILE) instead of the workspace's .troupe/troupe.db.")
    String url;

    @Option(names = "--no-journal", description = "Do not journal the run; it cannot be resumed then.")
    boolean off;

    /** The run to continue: found in the journal it was written to. */
    record Resume(JdbcJournal journal, String runId, String requirement, Optional<Path> workspace) {}

    /** With {@code --resume}: the run it names, looked up in the journal the other flags point at. */
    Optional<Resume> resumeTarget(Path workspace, boolean ideaGiven) {
        if (resume == null) {
            return Optional.empty();
        }
        if (off) {
            throw new ConfigurationException("--resume reads the run's journal; drop --no-journal.");
        }
        if (ideaGiven) {
            throw new ConfigurationException("--resume continues the run on the idea it started with; drop --idea and --idea-file.");
        }
        Journals.Found found = Journals.find(Journals.toSearch(url, workspace), resume, workspace);
        return Optional.of(new Resume(found.journal(), found.run().runId(), found.run().requirement(), found.workspace()));
    }

    /**
     * Gives the team its journal (the resumed run's, or a new one for {@code workspace}) and a line
     * on the console saying how to resume the run; returns the journal to close after the run.
     * A run on role workers is journaled by its coordinator, in this process. {@code runOptions}
     * (the model and limits the run was given) are part of that line, so the resumed run is the same run.
     */
    Optional<JdbcJournal> attach(Team.Builder builder, Optional<Resume> resumed, Path workspace, String team, PrintWriter err,
                                 boolean quiet, String bus, String runOptions) {
        if (off) {
            return Optional.empty();
        }
        JdbcJournal journal = resumed.map(Resume::journal).orElseGet(() -> Journals.forRun(url, workspace));
        builder.journal(journal);
        if (!quiet) {
            String where = (url != null ? " --journal '" + Redactor.fromEnvironment().redact(url.replaceAll("(?i)([?&]password=)[^&]*", "$1***")) + "'"
                    : " --workspace " + workspace) + (bus != null ? " --bus " + Redactor.fromEnvironment().redact(bus) : "")
                    + Redactor.fromEnvironment().redact(runOptions);
            builder.listener(new RunListener() {
                @Override
                public void onRunStarted(RunEvent.RunStarted e) {
                    err.println("troupe: run " + e.runId() + " is journaled in " + journal.label() + "; if it stops, resume it with:"
                            + " troupe run " + team + " --resume " + e.runId() + where);
                    err.flush();
                }
            });
        }
        return Optional.of(journal);
    }
}
