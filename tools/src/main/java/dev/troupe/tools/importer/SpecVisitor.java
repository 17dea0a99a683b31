package dev.troupe.tools.importer;

import dev.troupe.tools.spec.ApiSpec;
import dev.troupe.tools.spec.Endpoint;
import java.nio.file.Path;

/**
 * Receives an import one piece at a time ({@link SpecImporter#stream}), so a consumer can index and drop
 * each endpoint instead of holding whole directories of specs: per file, {@link #fileStarted}, then for each
 * spec its header and its endpoints, then {@link #fileFinished} — or {@link #fileFailed}, after which what
 * the file gave so far must be dropped.
 */
public interface SpecVisitor {
    /** Before a file is read. */
    default void fileStarted(Path file) {
    }

    /** A spec begins: {@code header} has the tool's name, description, auth and so on, and no endpoints; its endpoints follow. */
    void spec(ApiSpec header);

    /** An endpoint of the spec begun last. */
    void endpoint(Endpoint endpoint);

    /** A spec (or part of one) that could not be used, with the reason; the import goes on. */
    default void skipped(SkippedSpec skipped) {
    }

    /** Every spec of the file was delivered. */
    default void fileFinished(Path file) {
    }

    /** The file could not be used (the reason went to {@link #skipped}): drop whatever it delivered. */
    default void fileFailed(Path file) {
    }
}
