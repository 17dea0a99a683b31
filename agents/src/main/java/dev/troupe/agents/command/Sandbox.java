package dev.troupe.agents.command;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a command runs: in a bubblewrap sandbox (the default), or, only when a team says
 * {@code sandbox: none}, directly on the machine.
 */
public enum Sandbox {
    /**
     * A bubblewrap ({@code bwrap}) sandbox: the system read-only, the workspace the only writable
     * folder (its {@code .troupe/} hidden), a private {@code /tmp} and home, no network unless the
     * command asks for it, its own PID, IPC and UTS namespaces, and an environment of a few
     * variables. Where {@code bwrap} is missing, commands refuse to run.
     */
    BUBBLEWRAP,
    /** No confinement beyond a scrubbed environment and the timeout: the command can do what the user can. */
    NONE;

    private static final Optional<Path> BWRAP = find("bwrap");

    /** The {@code bwrap} executable on {@code PATH} (or in /usr/bin), if installed. */
    public static Optional<Path> bubblewrap() {
        return BWRAP;
    }

    private static Optional<Path> find(String name) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("") + File.pathSeparator + "/usr/bin";
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }
}
