package dev.troupe.cli;

import dev.troupe.agents.tool.ActionTool;
import dev.troupe.agents.tool.ToolProvider;
import dev.troupe.retrieval.EmbeddingModels;
import dev.troupe.retrieval.catalog.ImportProgress;
import dev.troupe.retrieval.catalog.ImportStatus;
import dev.troupe.roles.TeamDefinition;
import dev.troupe.roles.tools.RoleTools;
import dev.troupe.tools.importer.SkippedSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * Makes the retrieval catalogs of a team's tools ready in the run's workspace before the run starts,
 * showing what is built (with progress and time) and what is reused, so the first run's wait is
 * explained and later runs with the same workspace skip it.
 */
final class RetrievalCatalogs {
    private RetrievalCatalogs() {}

    /** Builds or reopens every catalog the team retrieves from, under {@code workspace}; prints to {@code out} unless quiet. */
    static void prepare(TeamDefinition def, Path workspace, PrintWriter out, boolean quiet) {
        for (RoleTools tools : def.tools()) {
            long start = System.nanoTime();
            tools.prepareCatalog(workspace, quiet ? ImportProgress.none() : progress(out, start)).ifPresent(ready -> {
                if (quiet) {
                    return;
                }
                if (ready.built()) {
                    out.printf("✓ retrieval index built in %s: %,d functions, embeddings %s, in %s (later runs with this workspace reuse it)%n",
                            seconds(ready.took()), ready.functions(), ready.embedding(), ready.folder());
                } else {
                    out.printf("✓ retrieval index reused from %s: %,d functions, embeddings %s (opened in %s)%n",
                            ready.folder(), ready.functions(), ready.embedding(), seconds(ready.took()));
                }
                out.flush();
                loadEmbeddingModel(ready, out);
            });
        }
    }

    /**
     * Loads a reused catalog's embedding model now, with a line saying so, instead of leaving its few
     * seconds of silence to the run's first search; building a catalog has loaded it already.
     */
    private static void loadEmbeddingModel(RoleTools.CatalogReady ready, PrintWriter out) {
        String id = ready.embedding();
        Optional<EmbeddingModels> model = Arrays.stream(EmbeddingModels.values()).filter(m -> m.id().equals(id)).findFirst();
        if (model.isEmpty() || model.get().loaded()) {
            return;
        }
        long start = System.nanoTime();
        out.print("⌕ loading the embedding model " + id + "… ");
        out.flush();
        model.get().model();
        out.println("ready in " + seconds(Duration.ofNanos(System.nanoTime() - start)));
        out.flush();
    }

    /** What retrieval picks for {@code idea}, for a user who cannot run the team on it offline. */
    static void preview(TeamDefinition def, String idea, Path workspace, PrintWriter out) {
        prepare(def, workspace, out, false);
        for (RoleTools tools : def.tools()) {
            if (tools.retrieves()) {
                ToolProvider.Choice choice = tools.choose(idea);
                out.println("⌕ for your idea, " + choice.how() + ":");
                for (int i = 0; i < choice.tools().size(); i++) {
                    ActionTool t = choice.tools().get(i);
                    out.printf("    %d. %-48s %.3f%n", i + 1, t.name(), choice.scores().get(i));
                }
            }
        }
        out.flush();
    }

    private static ImportProgress progress(PrintWriter out, long start) {
        return new ImportProgress() {
            private int shownFunctions;
            private long shownAt = start;

            @Override
            public void readingFile(Path file) {
                out.println("⌕ building the retrieval index of " + file.getFileName() + " (first use in this workspace)…");
                out.flush();
            }

            @Override
            public void skipped(SkippedSpec s) {
                out.println("  skipped " + s);
                out.flush();
            }

            @Override
            public void status(ImportStatus status) {
                // A streaming import learns how many functions there are as it reads: report what is indexed,
                // once a second and when the last file is in.
                long now = System.nanoTime();
                boolean allRead = status.filesDone() == status.filesTotal();
                if (status.functionsIndexed() > shownFunctions && (allRead || now - shownAt >= 1_000_000_000L)) {
                    shownFunctions = status.functionsIndexed();
                    shownAt = now;
                    out.printf("  indexed %,d functions (%s)%n", shownFunctions, seconds(Duration.ofNanos(now - start)));
                    out.flush();
                }
            }
        };
    }

    private static String seconds(Duration d) {
        return String.format("%.1f s", d.toMillis() / 1000.0);
    }
}
