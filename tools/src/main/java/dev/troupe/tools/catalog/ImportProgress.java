package dev.troupe.tools.catalog;

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

    /** Called as functions are indexed and embedded: {@code done} of {@code total} still to do in this import. */
    default void indexed(int done, int total) {
    }

    static ImportProgress none() {
        return new ImportProgress() {
        };
    }
}
