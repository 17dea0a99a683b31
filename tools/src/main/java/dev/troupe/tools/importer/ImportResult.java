package dev.troupe.tools.importer;

import com.google.common.collect.ImmutableList;
import dev.troupe.tools.spec.ApiSpec;
import java.util.List;

/**
 * What an import produced: the usable specs in file order, and every file or part it skipped with the reason.
 *
 * @param specs the specs, in the order their files were read
 * @param skipped what could not be used, with the reason
 * @param filesRead how many files were looked at
 */
public record ImportResult(List<ApiSpec> specs, List<SkippedSpec> skipped, int filesRead) {
    public ImportResult {
        specs = ImmutableList.copyOf(specs);
        skipped = ImmutableList.copyOf(skipped);
    }

    public int endpointCount() {
        return specs.stream().mapToInt(s -> s.endpoints().size()).sum();
    }
}
