package dev.troupe.retrieval.catalog;

import com.google.common.collect.ImmutableList;
import dev.troupe.tools.importer.SkippedSpec;
import java.time.Duration;
import java.util.List;

/**
 * What an import into a catalog did.
 *
 * @param filesRead spec files looked at
 * @param tools tools in the catalog afterwards
 * @param functions functions in the catalog afterwards
 * @param indexed functions indexed (and embedded) by this import
 * @param reused functions whose index entry was already up to date (a resumed or repeated import)
 * @param skipped what could not be used, and why
 * @param took wall time
 */
public record ImportReport(int filesRead, int tools, int functions, int indexed, int reused, List<SkippedSpec> skipped, Duration took) {
    public ImportReport {
        skipped = ImmutableList.copyOf(skipped);
    }
}
