package dev.troupe.agents.command.internal;

import dev.troupe.agents.command.CommandSpec;
import dev.troupe.agents.command.Sandbox;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.agents.error.ActionFailedException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link CommandSpec} with {@code bash -c} in the workspace, in its {@link Sandbox}: a clean
 * environment without the model's or tools' secrets, bounded output, and a timeout after which
 * every process the command started is killed. In the bubblewrap sandbox that is all of them,
 * detached or not (they share its PID namespace, which dies with it); without a sandbox, those
 * still in its process tree.
 */
public final class CommandRunner {
    /** The only variables a command inherits; keys and tokens of the parent process stay out. */
    private static final String[] PASSED_ENV = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "JAVA_HOME", "USER", "TERM"};
    /** The parts of /etc a command needs (the dynamic linker, users, time zone, certificates); the rest stays out. */
    private static final String[] ETC = {"/etc/alternatives", "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/passwd",
            "/etc/group", "/etc/nsswitch.conf", "/etc/localtime", "/etc/hosts", "/etc/ssl", "/etc/ca-certificates", "/etc/mime.types"};
    /** With network: name resolution too. */
    private static final String[] ETC_NETWORK = {"/etc/resolv.conf", "/etc/gai.conf", "/etc/host.conf"};
    /** How long output is still read after the command ended, from children that kept its pipe open. */
    private static final Duration OUTPUT_GRACE = Duration.ofSeconds(1);
    private static final Duration POLL = Duration.ofMillis(50);

    private CommandRunner() {}

    /** The outcome as a JSON payload: command, exitCode, passed, timedOut, output. */
    public static ObjectNode run(CommandSpec spec, Path workspace, String role, String action) {
        return run(spec, workspace, role, action, Sandbox.bubblewrap());
    }

    /** As {@link #run(CommandSpec, Path, String, String)} with {@code bwrap} as the sandbox's executable, if any. */
    static ObjectNode run(CommandSpec spec, Path workspace, String role, String action, Optional<Path> bwrap) {
        Path ws;
        try {
            ws = Files.createDirectories(workspace).toRealPath();
        } catch (IOException e) {
            throw new ActionFailedException(role, action, "cannot open the workspace " + workspace + ": " + e.getMessage(), e);
        }
        Map<String, String> env = new LinkedHashMap<>();
        Map<String, String> parent = System.getenv();
        for (String k : PASSED_ENV) {
            if (parent.containsKey(k)) {
                env.put(k, parent.get(k));
            }
        }
        env.put("TROUPE_WORKSPACE", ws.toString());
        List<String> argv = switch (spec.sandbox()) {
            case BUBBLEWRAP -> bubblewrap(spec, ws, env, bwrap.orElseThrow(() -> new ActionFailedException(role, action, "'"
                    + spec.command() + "' was not run: commands run in a bubblewrap sandbox, and bwrap is not installed. Install it"
                    + " (Debian/Ubuntu: apt-get install bubblewrap; Fedora: dnf install bubblewrap), or, to run the team's commands"
                    + " unconfined with your own rights, say 'sandbox: none' in the team's YAML or pass --no-sandbox.")), role, action);
            case NONE -> shell(spec);
        };
        ProcessBuilder pb = new ProcessBuilder(argv).directory(ws.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));   // a command waiting on input ends at once
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new ActionFailedException(role, action, "cannot start '" + spec.command() + "' in " + ws + ": " + e.getMessage(), e);
        }
        Output output = new Output(spec.maxOutputChars());
        Thread reader = Thread.ofVirtual().name("troupe-command-output").start(() -> output.readAll(p.getInputStream()));
        // Everything the command starts, seen while it is still in the tree: a child that detaches later is still killed.
        Set<ProcessHandle> tree = new LinkedHashSet<>();
        long deadline = System.nanoTime() + spec.timeout().toNanos();
        boolean timedOut = false;
        try {
            while (!p.waitFor(Math.min(POLL.toNanos(), Math.max(1, deadline - System.nanoTime())), TimeUnit.NANOSECONDS)) {
                p.descendants().forEach(tree::add);
                if (System.nanoTime() - deadline >= 0) {
                    timedOut = true;
                    break;
                }
            }
        } catch (InterruptedException e) {
            killAll(p, tree);
            Thread.currentThread().interrupt();
            throw new ActionFailedException(role, action, "interrupted while running '" + spec.command() + "'", e);
        }
        // At the timeout and at the end alike: nothing the command left running outlives it.
        killAll(p, tree);
        try {
            reader.join(OUTPUT_GRACE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String out = output.text();
        int exit = timedOut ? -1 : p.exitValue();
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("command", spec.command());
        payload.put("exitCode", exit);
        payload.put("passed", !timedOut && exit == 0);
        payload.put("timedOut", timedOut);
        payload.put("output", timedOut ? out + "\n[killed after " + spec.timeout() + "]" : out);
        return payload;
    }

    /** The bwrap command line that runs {@code spec} confined to {@code ws}. */
    private static List<String> bubblewrap(CommandSpec spec, Path ws, Map<String, String> env, Path bwrap, String role,
                                           String action) {
        List<String> a = new ArrayList<>(List.of(bwrap.toString(), "--die-with-parent", "--new-session",
                "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"));
        if (!spec.network()) {
            a.add("--unshare-net");
        }
        a.addAll(List.of("--ro-bind", "/usr", "/usr"));
        for (String dir : List.of("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")) {
            Path d = Path.of(dir);
            if (Files.isSymbolicLink(d)) {
                try {
                    a.addAll(List.of("--symlink", Files.readSymbolicLink(d).toString(), dir));
                } catch (IOException e) {
                    throw new ActionFailedException(role, action, "cannot read the link " + dir + ": " + e.getMessage(), e);
                }
            } else if (Files.isDirectory(d)) {
                a.addAll(List.of("--ro-bind", dir, dir));
            }
        }
        for (String f : ETC) {
            a.addAll(List.of("--ro-bind-try", f, f));
        }
        if (spec.network()) {
            for (String f : ETC_NETWORK) {
                a.addAll(List.of("--ro-bind-try", f, f));
            }
        }
        String javaHome = env.get("JAVA_HOME");
        if (javaHome != null && !javaHome.isBlank() && !Path.of(javaHome).normalize().startsWith("/usr")) {
            a.addAll(List.of("--ro-bind-try", javaHome, javaHome));
        }
        // A fresh /proc shows the sandbox's own processes only: the JVM's environ is not among them.
        a.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"));
        a.addAll(List.of("--bind", ws.toString(), ws.toString(),
                "--tmpfs", ws.resolve(".troupe").toString(),   // the journal and lessons: neither read nor written
                "--chdir", ws.toString(), "--clearenv"));
        Map<String, String> inside = new LinkedHashMap<>(env);
        inside.put("HOME", "/tmp");     // the user's home stays out
        inside.put("TMPDIR", "/tmp");
        inside.forEach((k, v) -> a.addAll(List.of("--setenv", k, v)));
        a.add("--");
        a.addAll(shell(spec));
        return a;
    }

    /** {@code bash -c} running the command under its limits: they hold for every process it starts. */
    private static List<String> shell(CommandSpec spec) {
        // ulimit -f counts 1024-byte blocks in bash; the command string itself is run by a fresh bash -c, as written.
        return List.of("bash", "-c", "ulimit -f " + spec.maxFileMb() * 1024L + " || exit 125; exec bash -c \"$1\"", "troupe-command",
                spec.command());
    }

    private static void killAll(Process p, Set<ProcessHandle> seen) {
        p.descendants().forEach(seen::add);
        // The command first, so it cannot start more while its children go. Through its handle: Process.destroy
        // would also close the output pipe before the reader has drained it.
        p.toHandle().destroyForcibly();
        seen.forEach(ProcessHandle::destroyForcibly);
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The command's output as it is read: its head and tail, so the process never blocks on a full pipe. */
    private static final class Output {
        private final byte[] head;
        private final byte[] tail;
        private int headLen;
        private int tailPos;
        private long total;

        Output(int max) {
            head = new byte[max / 2];
            tail = new byte[max / 2];
        }

        void readAll(InputStream in) {
            byte[] buf = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    append(buf, n);
                }
            } catch (IOException e) {
                // The pipe closed under the reader (the process was killed): what was read stands.
                append(("\n[output cut: " + e.getMessage() + "]").getBytes(StandardCharsets.UTF_8), -1);
            }
        }

        private synchronized void append(byte[] buf, int n) {
            int len = n < 0 ? buf.length : n;
            for (int i = 0; i < len; i++) {
                if (headLen < head.length) {
                    head[headLen++] = buf[i];
                } else {
                    tail[tailPos % tail.length] = buf[i];
                    tailPos++;
                }
            }
            total += len;
        }

        synchronized String text() {
            String h = new String(head, 0, headLen, StandardCharsets.UTF_8);
            if (tailPos <= tail.length) {
                return h + new String(tail, 0, tailPos, StandardCharsets.UTF_8);
            }
            byte[] ordered = new byte[tail.length];
            for (int i = 0; i < tail.length; i++) {
                ordered[i] = tail[(tailPos + i) % tail.length];
            }
            return h + "\n[… " + (total - headLen - tail.length) + " bytes cut …]\n" + new String(ordered, StandardCharsets.UTF_8);
        }
    }
}
