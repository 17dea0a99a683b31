package dev.troupe.cli;

import dev.troupe.agents.error.ConfigurationException;
import dev.troupe.agents.journal.JdbcJournal;
import dev.troupe.memory.error.MemoryException;
import dev.troupe.memory.jdbc.Database;
import dev.troupe.memory.journal.RunSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds run journals for the CLI: the one a {@code --journal} URL names, the one in a
 * {@code --workspace}, or else every one under {@value #DEFAULT_ROOT}, where {@code troupe run}
 * makes its workspaces by default.
 */
final class Journals {
    /** The folder {@code troupe run} puts its workspaces in when given none. */
    static final String DEFAULT_ROOT = "troupe-workspace";

    /** A journal that holds a run, and the run as listed there. */
    record Found(JdbcJournal journal, RunSummary run, Optional<Path> workspace) {}

    private Journals() {}

    /** The journal a run writes to: {@code url}'s database, else the workspace's {@link Database#WORKSPACE_FILE}. */
    static JdbcJournal forRun(String url, Path workspace) {
        return url != null ? open(url) : open(workspace);
    }

    /**
     * The journals to look in, opened (the caller closes them): {@code url}'s, or the workspace's, or
     * every default workspace's that exists.
     */
    static List<JdbcJournal> toSearch(String url, Path workspace) {
        if (url != null) {
            return List.of(open(url));
        }
        if (workspace != null) {
            Path file = workspace.resolve(Database.WORKSPACE_FILE);
            if (!Files.isRegularFile(file)) {
                throw new ConfigurationException("No run journal in " + workspace + " (there is no " + file + "); give the"
                        + " --workspace a run used, or --journal JDBC_URL.");
            }
            return List.of(open(workspace));
        }
        List<JdbcJournal> found = new ArrayList<>();
        Path root = Path.of(DEFAULT_ROOT);
        if (Files.isDirectory(root)) {
            try (Stream<Path> dirs = Files.list(root)) {
                for (Path ws : dirs.sorted().toList()) {
                    if (Files.isRegularFile(ws.resolve(Database.WORKSPACE_FILE))) {
                        found.add(open(ws));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + root.toAbsolutePath(), e);
            }
        }
        return found;
    }

    /**
     * The run whose id is {@code id} or starts with it, among {@code journals}; the other journals
     * are closed.
     *
     * @throws ConfigurationException when no run or more than one matches
     */
    static Found find(List<JdbcJournal> journals, String id, Path workspace) {
        if (id == null || id.isBlank()) {
            throw new ConfigurationException("Give the id of a run; 'troupe runs list' shows them.");
        }
        List<Found> matches = new ArrayList<>();
        for (JdbcJournal j : journals) {
            for (RunSummary run : j.store().list()) {
                if (run.runId().startsWith(id)) {
                    matches.add(new Found(j, run, workspaceOf(j, run, workspace)));
                }
            }
        }
        if (matches.size() != 1) {
            journals.forEach(JdbcJournal::close);
            String where = journals.isEmpty() ? "no journal (none under " + DEFAULT_ROOT + "/; give --workspace DIR or --journal JDBC_URL)"
                    : String.join(", ", journals.stream().map(JdbcJournal::label).toList());
            throw new ConfigurationException(matches.isEmpty()
                    ? "No run '" + id + "' in " + where + "; 'troupe runs list' shows the runs."
                    : "'" + id + "' matches " + matches.size() + " runs (" + String.join(", ", matches.stream()
                            .map(f -> f.run().runId()).toList()) + "); give more of the id.");
        }
        Found found = matches.getFirst();
        journals.stream().filter(j -> j != found.journal()).forEach(JdbcJournal::close);
        return found;
    }

    private static JdbcJournal open(String url) {
        Database db = Database.forUrl(url);
        try {
            return JdbcJournal.open(db);
        } catch (MemoryException e) {
            db.close();
            throw new ConfigurationException("Cannot open the run journal at " + db.label() + ": " + e.getMessage()
                    + ". Check --journal, or pass --no-journal to run without one.", e);
        }
    }

    private static JdbcJournal open(Path workspace) {
        try {
            return JdbcJournal.inWorkspace(workspace);
        } catch (MemoryException e) {
            throw new ConfigurationException("Cannot open the run journal in " + workspace + ": " + e.getMessage()
                    + ". Check --workspace, or pass --no-journal to run without one.", e);
        }
    }

    /** Where the run's files are: as journaled, else the given workspace, else the one holding the journal file. */
    private static Optional<Path> workspaceOf(JdbcJournal j, RunSummary run, Path given) {
        if (run.workspace().isPresent()) {
            return run.workspace().map(Path::of);
        }
        if (given != null) {
            return Optional.of(given);
        }
        String label = j.label();
        String suffix = "/" + Database.WORKSPACE_FILE;
        return label.startsWith("sqlite:") && label.endsWith(suffix)
                ? Optional.of(Path.of(label.substring("sqlite:".length(), label.length() - suffix.length())))
                : Optional.empty();
    }
}
