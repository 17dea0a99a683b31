package dev.troupe.agents.command;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import java.time.Duration;
import java.util.Collection;
import java.util.Objects;

/**
 * A shell command an action runs in the run's workspace instead of asking a model (e.g. a test
 * suite). A failing run is sent to {@code onFailureSendTo} until it has failed {@code maxFailures}
 * times; then the action fails.
 *
 * @param maxOutputChars how much of the combined output the message keeps (head and tail)
 * @param network        whether the command may open network connections (the sandbox cuts it off otherwise)
 * @param sandbox        where it runs; {@link Sandbox#BUBBLEWRAP} unless the team opted out
 * @param maxFileMb      the largest file the command (each of its processes) may write, in MiB
 */
public record CommandSpec(String command, Duration timeout, int maxOutputChars, int maxFailures,
                          ImmutableList<String> onFailureSendTo, boolean network, Sandbox sandbox, int maxFileMb) {
    /** The default of {@link #maxFileMb}: enough for a build's artefacts, not enough to fill a disk. */
    public static final int DEFAULT_MAX_FILE_MB = 256;

    public CommandSpec {
        checkArgument(command != null && !command.isBlank(), "a command action needs a command");
        Objects.requireNonNull(timeout, "timeout");
        checkArgument(timeout.isPositive(), "command timeout must be positive but was %s", timeout);
        checkArgument(maxOutputChars >= 200, "maxOutputChars must be >= 200 but was %s", maxOutputChars);
        checkArgument(maxFailures >= 1, "maxFailures must be >= 1 but was %s", maxFailures);
        Objects.requireNonNull(onFailureSendTo, "onFailureSendTo");
        Objects.requireNonNull(sandbox, "sandbox");
        checkArgument(maxFileMb >= 1, "maxFileMb must be >= 1 but was %s", maxFileMb);
    }

    /** A sandboxed command without network. */
    public CommandSpec(String command, Duration timeout, int maxOutputChars, int maxFailures, ImmutableList<String> onFailureSendTo) {
        this(command, timeout, maxOutputChars, maxFailures, onFailureSendTo, false, Sandbox.BUBBLEWRAP, DEFAULT_MAX_FILE_MB);
    }

    /** A shell command run in the workspace: stopped after 2 minutes, 8,000 characters of output kept, the action failing after 3 failed runs. */
    public static CommandSpec of(String command) {
        return new CommandSpec(command, Duration.ofMinutes(2), 8_000, 3, ImmutableList.of());
    }

    /** A copy whose runs are stopped, and count as failed, after {@code d}. */
    public CommandSpec withTimeout(Duration d) {
        return new CommandSpec(command, d, maxOutputChars, maxFailures, onFailureSendTo, network, sandbox, maxFileMb);
    }

    /** A copy that keeps at most {@code n} characters of the command's output. */
    public CommandSpec withMaxOutputChars(int n) {
        return new CommandSpec(command, timeout, n, maxFailures, onFailureSendTo, network, sandbox, maxFileMb);
    }

    /** A copy whose action fails the run after {@code n} failed runs. */
    public CommandSpec withMaxFailures(int n) {
        return new CommandSpec(command, timeout, maxOutputChars, n, onFailureSendTo, network, sandbox, maxFileMb);
    }

    /** A copy whose failed runs are addressed to {@code roles} (e.g. back to the engineer). */
    public CommandSpec withOnFailureSendTo(Collection<String> roles) {
        return new CommandSpec(command, timeout, maxOutputChars, maxFailures, ImmutableList.copyOf(roles), network, sandbox, maxFileMb);
    }

    public CommandSpec withNetwork(boolean allowed) {
        return new CommandSpec(command, timeout, maxOutputChars, maxFailures, onFailureSendTo, allowed, sandbox, maxFileMb);
    }

    public CommandSpec withSandbox(Sandbox s) {
        return new CommandSpec(command, timeout, maxOutputChars, maxFailures, onFailureSendTo, network, s, maxFileMb);
    }

    public CommandSpec withMaxFileMb(int mb) {
        return new CommandSpec(command, timeout, maxOutputChars, maxFailures, onFailureSendTo, network, sandbox, mb);
    }
}
