package dev.troupe.cli;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the libraries under the CLI may print on its console: their errors only, unless {@code --verbose}. Their
 * warnings are about the machine, not the run (Lucene on a JDK newer than it knows, DJL finding no CUDA driver, a
 * tokenizer's default length), and the CLI prints its own line when it loads an index or a model.
 */
final class ConsoleLogging {
    private static final String SLF4J_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";

    private ConsoleLogging() {}

    /** Sets the libraries' console threshold; call before any of them logs (slf4j-simple reads it once). */
    static void configure(boolean verbose) {
        if (verbose && System.getProperty(SLF4J_LEVEL) == null) {
            System.setProperty(SLF4J_LEVEL, "info");
        }
        // java.util.logging (Lucene): the root logger is held by the LogManager, so its level stays set.
        Logger.getLogger("").setLevel(verbose ? Level.INFO : Level.SEVERE);
    }
}
