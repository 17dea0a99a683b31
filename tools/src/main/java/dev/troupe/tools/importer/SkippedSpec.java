package dev.troupe.tools.importer;

/**
 * A spec (or part of one) an import could not use, and why; the import goes on without it.
 *
 * @param file the file it came from
 * @param reason what was wrong and, where it helps, what to do
 */
public record SkippedSpec(String file, String reason) {
    @Override
    public String toString() {
        return file + ": " + reason;
    }
}
