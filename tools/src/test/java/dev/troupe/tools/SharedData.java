package dev.troupe.tools;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the shared StableToolBench files: {@code TROUPE_SHARED_DATA}, else a {@code shared/data}
 * folder in or beside the checkout or one of its parents. Tests that need them skip with this
 * explanation when they are nowhere.
 */
public final class SharedData {
    private SharedData() {}

    public static Path stableToolBench() {
        List<Path> candidates = new ArrayList<>();
        String env = System.getenv("TROUPE_SHARED_DATA");
        if (env != null && !env.isBlank()) {
            candidates.add(Path.of(env));
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            candidates.add(p.resolve("shared/data"));
            candidates.add(p.resolve("../shared/data").normalize());
        }
        for (Path c : candidates) {
            Path dir = c.resolve("stabletoolbench");
            if (Files.isRegularFile(dir.resolve("G1_instruction.json"))) {
                return dir;
            }
        }
        assumeTrue(false, "the StableToolBench files (shared/data/stabletoolbench) are not here; set TROUPE_SHARED_DATA to the folder"
                + " that holds stabletoolbench/");
        throw new IllegalStateException("unreachable");
    }

    public static Path file(String name) {
        return stableToolBench().resolve(name);
    }
}
