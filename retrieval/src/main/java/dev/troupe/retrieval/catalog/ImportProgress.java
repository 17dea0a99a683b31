package dev.troupe.retrieval.catalog;

import dev.troupe.tools.importer.SkippedSpec;
import java.nio.file.Path;

/** Hooks an import calls as it goes (for a progress bar); every hook is a no-op by default. */
public interface ImportProgress {
    /** Called before each spec file is read. */
    default void readingFile(Path file) {
    }

    /** Called for each spec or part of one the import could not use. */
    default void skipped(SkippedSpec skipped) {
    }

    /**
     * Called as functions are indexed and embedded: {@code done} so far in this import, of {@code total} known so
     * far (a streaming import learns of functions as it reads files, so {@code total} grows until the end).
     */
    default void indexed(int done, int total) {
    }

    /** Called after each file and each indexed batch with where the whole import stands (for a progress bar). */
    default void status(ImportStatus status) {
    }

    static ImportProgress none() {
        return new ImportProgress() {
        };
    }
}
