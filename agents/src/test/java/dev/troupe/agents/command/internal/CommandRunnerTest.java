package dev.troupe.agents.command.internal;

import dev.troupe.agents.command.CommandSpec;
import dev.troupe.agents.command.Sandbox;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.agents.error.ActionFailedException;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command is confined to its workspace: it writes only there, reads nothing private outside,
 * has no network unless it asks, cannot see the JVM's environment, and leaves no process behind.
 */
class CommandRunnerTest {
    /** How long after its timeout a command's processes may take to die. */
    private static final Duration GRACE = Duration.ofSeconds(3);

    @TempDir
    Path dir;
    Path ws;

    @BeforeEach
    void workspace() throws IOException {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "bubblewrap runs on Linux");
        assertThat(Sandbox.bubblewrap()).as("bwrap must be installed (apt-get install bubblewrap)").isPresent();
        ws = Files.createDirectories(dir.resolve("ws"));
    }

    private ObjectNode run(String command) {
        return run(CommandSpec.of(command).withTimeout(Duration.ofSeconds(20)));
    }

    private ObjectNode run(CommandSpec spec) {
        return CommandRunner.run(spec, ws, "Tester", "Probe");
    }

    @Test
    void aCommandWritesInItsWorkspaceAndSeesTheSystemTools() throws IOException {
        ObjectNode r = run("echo made > made.txt && python3 -c 'print(6 * 7)' && ls /usr/bin/bash");
        assertThat(r.path("passed").asBoolean()).as(r.toString()).isTrue();
        assertThat(r.path("output").asText()).contains("42");
        assertThat(Files.readString(ws.resolve("made.txt"))).isEqualTo("made\n");
    }

    @Test
    void aCommandCannotWriteOutsideTheWorkspace() throws IOException {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        ObjectNode r = run("echo x > " + outside.resolve("escaped.txt") + "; echo y > /usr/escaped.txt; echo z > ~/escaped.txt;"
                + " echo w > /tmp/scratch.txt && echo tmp-ok");
        assertThat(outside.resolve("escaped.txt")).doesNotExist();
        assertThat(Path.of("/usr/escaped.txt")).doesNotExist();
        assertThat(Path.of(System.getProperty("user.home"), "escaped.txt")).doesNotExist();
        assertThat(r.path("output").asText()).as("a private /tmp is writable").contains("tmp-ok");
    }

    @Test
    void aCommandCannotReadAFileOutsideTheWorkspaceNorTheJournal() throws IOException {
        Path secret = Files.writeString(Files.createDirectories(dir.resolve("private")).resolve("secret.txt"), "sk-sandbox-secret-1");
        Files.createDirectories(ws.resolve(".troupe"));
        Files.writeString(ws.resolve(".troupe/troupe.db"), "journal-bytes-2");

        ObjectNode r = run("cat " + secret + "; cat .troupe/troupe.db; echo junk > .troupe/troupe.db; ls " + System.getProperty("user.home"));

        assertThat(r.path("output").asText()).doesNotContain("sk-sandbox-secret-1").doesNotContain("journal-bytes-2");
        assertThat(Files.readString(ws.resolve(".troupe/troupe.db"))).isEqualTo("journal-bytes-2");
    }

    @Test
    void aCommandHasNoNetworkUnlessItAsksForIt() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            String connect = "(exec 3<>/dev/tcp/127.0.0.1/" + server.getLocalPort() + ") && echo CONNECTED || echo REFUSED";

            assertThat(run(connect).path("output").asText()).contains("REFUSED").doesNotContain("CONNECTED");
            assertThat(run(CommandSpec.of(connect).withNetwork(true)).path("output").asText()).as("network: true")
                    .contains("CONNECTED");
        }
    }

    @Test
    void aCommandCannotReadTheEnvironmentOfTheJvm() {
        ObjectNode r = run("cat /proc/$PPID/environ /proc/1/environ /proc/" + ProcessHandle.current().pid() + "/environ;"
                + " for f in /proc/[0-9]*/environ; do tr '\\0' '\\n' < $f; done | cut -d= -f1 | sort -u | sed 's/^/VAR /'");

        Set<String> seen = r.path("output").asText().lines().filter(l -> l.startsWith("VAR ")).map(l -> l.substring(4))
                .filter(v -> !v.isBlank()).collect(Collectors.toSet());
        assertThat(seen).as("a command saw some environment").contains("PATH", "TROUPE_WORKSPACE")
                .as("the variables passed, and those bash sets itself")
                .isSubsetOf("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "JAVA_HOME", "USER", "TERM", "TROUPE_WORKSPACE", "PWD", "SHLVL", "_");
        assertThat(r.path("output").asText()).doesNotContain("SUREFIRE").doesNotContain("MAVEN");
    }

    @Test
    void aCommandCannotWriteAFileLargerThanItsLimit() throws IOException {
        ObjectNode r = run(CommandSpec.of("head -c 5000000 /dev/zero > big.bin; echo exit=$?").withMaxFileMb(1));

        assertThat(Files.size(ws.resolve("big.bin"))).isLessThanOrEqualTo(1024 * 1024);
        assertThat(r.path("output").asText()).doesNotContain("exit=0");
        assertThat(run("head -c 2000000 /dev/zero > ok.bin && echo written").path("output").asText())
                .as("the default limit").contains("written");
    }

    @Test
    void withoutBubblewrapACommandRefusesToRunAndSaysHowToInstallItOrOptOut() {
        assertThatThrownBy(() -> CommandRunner.run(CommandSpec.of("echo ran > ran.txt"), ws, "Tester", "Probe", Optional.empty()))
                .isInstanceOf(ActionFailedException.class).hasMessageContaining("Role 'Tester', action 'Probe'")
                .hasMessageContaining("bwrap is not installed").hasMessageContaining("apt-get install bubblewrap")
                .hasMessageContaining("'sandbox: none'").hasMessageContaining("--no-sandbox");
        assertThat(ws.resolve("ran.txt")).doesNotExist();

        ObjectNode unconfined = CommandRunner.run(CommandSpec.of("echo ran").withSandbox(Sandbox.NONE), ws, "Tester", "Probe",
                Optional.empty());
        assertThat(unconfined.path("output").asText()).as("an explicit opt-out runs without bwrap").contains("ran");
    }

    @Test
    void theTimeoutKillsDetachedAndDoubleForkedChildren() throws Exception {
        String command = "(setsid sleep 301.17 &); bash -c '(sleep 302.17 &) &'; nohup sleep 303.17 >/dev/null 2>&1 & sleep 304.17";
        assertNoneSurvive(CommandSpec.of(command).withTimeout(Duration.ofSeconds(2)), List.of("301.17", "302.17", "303.17", "304.17"), true);
    }

    @Test
    void childrenLeftRunningWhenTheCommandEndsAreKilled() throws Exception {
        String command = "(setsid sleep 311.17 &); nohup sleep 312.17 >/dev/null 2>&1 & sleep 0.5; echo done";
        assertNoneSurvive(CommandSpec.of(command).withTimeout(Duration.ofSeconds(20)), List.of("311.17", "312.17"), false);
    }

    @Test
    void withoutASandboxTheTimeoutStillKillsTheProcessTree() throws Exception {
        String command = "sleep 321.17 & sleep 322.17";
        assertNoneSurvive(CommandSpec.of(command).withTimeout(Duration.ofSeconds(2)).withSandbox(Sandbox.NONE),
                List.of("321.17", "322.17"), true);
    }

    /** Runs {@code spec}, waits until a process of each marker is up, and checks none is alive shortly after the run returns. */
    private void assertNoneSurvive(CommandSpec spec, List<String> markers, boolean timesOut) throws Exception {
        CompletableFuture<ObjectNode> result = CompletableFuture.supplyAsync(() -> run(spec));
        long upBy = System.nanoTime() + spec.timeout().toNanos();
        List<ProcessHandle> started = List.of();
        while (System.nanoTime() < upBy && !result.isDone()) {
            started = withMarkers(markers);
            if (started.size() >= markers.size()) {
                break;
            }
            Thread.onSpinWait();
        }
        assertThat(started).as("the command's processes started").hasSizeGreaterThanOrEqualTo(markers.size());

        ObjectNode r = result.get(spec.timeout().plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
        assertThat(r.path("timedOut").asBoolean()).as(r.toString()).isEqualTo(timesOut);
        long goneBy = System.nanoTime() + GRACE.toNanos();
        while (System.nanoTime() < goneBy && started.stream().anyMatch(ProcessHandle::isAlive)) {
            Thread.onSpinWait();
        }
        assertThat(started).as("no process of the command is left").noneMatch(ProcessHandle::isAlive);
    }

    private static List<ProcessHandle> withMarkers(List<String> markers) {
        return ProcessHandle.allProcesses().filter(p -> {
            String cmd = p.info().commandLine().orElse("");
            return cmd.contains("sleep ") && markers.stream().anyMatch(cmd::endsWith);
        }).toList();
    }
}
