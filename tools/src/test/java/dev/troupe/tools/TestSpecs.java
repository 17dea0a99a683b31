package dev.troupe.tools;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The spec files of this module's tests ({@code tools/src/test/resources/specs}: OpenAPI, ToolBench
 * and broken ones), found from where these test classes were loaded — {@code tools/target/test-classes}
 * or the test jar beside it — so the retrieval module's import tests read the same files.
 */
public final class TestSpecs {
    private TestSpecs() {}

    public static Path dir() {
        Path loadedFrom;
        try {
            loadedFrom = Path.of(TestSpecs.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot tell where " + TestSpecs.class.getName() + " was loaded from", e);
        }
        Path specs = loadedFrom.getParent().getParent().resolve("src/test/resources/specs");
        if (!Files.isDirectory(specs)) {
            throw new IllegalStateException("the test specs are not at " + specs + " (" + TestSpecs.class.getName()
                    + " was loaded from " + loadedFrom + "); run the tests from the checkout, with -am");
        }
        return specs;
    }
}
