package dev.troupe.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the CLI in this JVM, as a user would from a shell, and keeps its exit code and what it printed. */
record CliRun(int exit, String out, String err) {

    static CliRun troupe(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = TroupeCli.execute(args);
            return new CliRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** Whether no live model is configured, so that teams run on their offline scripts. */
    static boolean offline() {
        return System.getenv("OPENAI_API_KEY") == null && System.getenv("OPENAI_BASE_URL") == null
                && System.getenv("OLLAMA_BASE_URL") == null;
    }
}
